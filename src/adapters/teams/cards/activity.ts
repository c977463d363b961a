import { type AdaptiveCard, CardFactory, MessageFactory } from '@microsoft/agents-hosting';

/** A message activity carrying one Adaptive Card (and a short summary for Teams' activity feed). */
export function cardActivity(card: AdaptiveCard, summary?: string) {
  const activity = MessageFactory.attachment(CardFactory.adaptiveCard(card));
  if (summary) activity.summary = summary;
  return activity;
}
