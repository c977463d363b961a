import { randomUUID } from 'node:crypto';

/**
 * Activity JSON as Teams sends it to `POST /api/messages`, with the service URL pointing at the
 * fake connector. Only the fields the bot reads, plus the ones the SDK requires.
 */

export const botAccount = { id: '28:oversight-local', name: 'Oversight' };
export const tenantId = 'tenant-test';

type Person = { aadObjectId: string; name?: string };

const base = (serviceUrl: string, conversation: { id: string; [key: string]: unknown }, from: Person) => ({
  id: randomUUID(),
  channelId: 'msteams',
  serviceUrl,
  timestamp: new Date().toISOString(),
  conversation: { tenantId, ...conversation },
  from: { id: `29:${from.aadObjectId}`, aadObjectId: from.aadObjectId, name: from.name ?? 'Someone' },
  recipient: botAccount,
  channelData: { tenant: { id: tenantId } },
});

export const channelConversation = (id: string) => ({ id, conversationType: 'channel', isGroup: true });
export const personalConversation = (aad: string) => ({
  id: `a:personal-${aad}`,
  conversationType: 'personal',
});

/** Text typed to the bot (in a personal chat unless a conversation is given). */
export function message(
  serviceUrl: string,
  from: Person,
  text: string,
  conversation = personalConversation(from.aadObjectId),
) {
  return { ...base(serviceUrl, conversation, from), type: 'message', text };
}

/** A press of an `Action.Execute` button on a card (the card's activity is `replyToId`). */
export function cardAction(
  serviceUrl: string,
  from: Person,
  verb: string,
  data: Record<string, unknown>,
  options: { conversationId?: string; cardActivityId?: string } = {},
) {
  return {
    ...base(serviceUrl, channelConversation(options.conversationId ?? '19:managers@thread.tacv2'), from),
    type: 'invoke',
    name: 'adaptiveCard/action',
    replyToId: options.cardActivityId ?? 'card-1',
    value: { action: { type: 'Action.Execute', verb, data }, trigger: 'manual' },
  };
}

/** The bot being added to a team (its General channel's conversation). */
export function installedInTeam(serviceUrl: string, conversationId: string, by: Person) {
  return {
    ...base(serviceUrl, channelConversation(conversationId), by),
    type: 'conversationUpdate',
    membersAdded: [botAccount],
    channelData: { tenant: { id: tenantId }, team: { id: conversationId }, eventType: 'teamMemberAdded' },
  };
}

// biome-ignore lint/suspicious/noExplicitAny: cards are free-form JSON.
type Json = any;

/** The text a card shows, a line per paragraph (a paragraph's runs joined), in order. */
export function cardText(card: Json): string {
  const out: string[] = [];
  const walk = (node: Json) => {
    if (Array.isArray(node)) return node.forEach(walk);
    if (!node || typeof node !== 'object') return;
    if (node.type === 'RichTextBlock') {
      out.push(node.inlines.map((i: Json) => i.text).join(''));
      return;
    }
    if (node.type === 'TextBlock' && typeof node.text === 'string') out.push(node.text);
    for (const [key, value] of Object.entries(node)) if (key !== 'actions') walk(value);
  };
  walk(card?.body);
  return out.join('\n');
}

/** The card's inputs by id. */
export function cardInputs(card: Json): Record<string, Json> {
  const out: Record<string, Json> = {};
  const walk = (node: Json) => {
    if (Array.isArray(node)) return node.forEach(walk);
    if (!node || typeof node !== 'object') return;
    if (typeof node.type === 'string' && node.type.startsWith('Input.')) out[node.id] = node;
    for (const value of Object.values(node)) walk(value);
  };
  walk(card?.body);
  return out;
}

/** The card of an activity the bot sent (its first Adaptive Card attachment). */
export function activityCard(activity: Json): Json {
  return activity?.attachments?.find((a: Json) => a.contentType === 'application/vnd.microsoft.card.adaptive')
    ?.content;
}

/** What an `Action.Execute` answer holds: a card (replacing it for the presser) or a message. */
export function invokeAnswer(body: Json): { card?: Json; message?: string } {
  if (body?.type === 'application/vnd.microsoft.card.adaptive') return { card: body.value };
  if (body?.type === 'application/vnd.microsoft.activity.message') return { message: body.value };
  return {};
}
