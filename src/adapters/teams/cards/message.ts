import type { AdaptiveCard } from '@microsoft/agents-hosting';
import type { MessageView, ReplyView } from '../../../chat/views.ts';
import { verbs } from '../verbs.ts';
import { type Element, heading, para, run, warning } from './text.ts';

const card = (body: Element[], actions: Element[] = []): AdaptiveCard => ({
  type: 'AdaptiveCard',
  $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
  version: '1.5',
  body,
  ...(actions.length ? { actions } : {}),
});

/** A reminder, escalation or digest (1:1 or in the notice's thread). */
export function messageCard(message: MessageView): AdaptiveCard {
  const body = [
    heading(message.title),
    ...message.lines.map((line) => para([run(line)], { spacing: 'Small' })),
  ];
  const actions = message.requestId
    ? [
        {
          type: 'Action.Execute',
          title: 'Case record',
          verb: verbs.caseRecord,
          data: { requestId: message.requestId },
        },
      ]
    : [];
  return card(body, actions);
}

/** The answer to a command or a button, for the person who typed or pressed it. */
export function replyCard(reply: ReplyView): AdaptiveCard {
  const first = reply.ok ? para([run(reply.text)]) : warning(reply.text);
  return card([first, ...(reply.lines ?? []).map((line) => para([run(line)], { spacing: 'None' }))]);
}
