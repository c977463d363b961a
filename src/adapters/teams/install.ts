import type { ConnectorClient, TurnContext } from '@microsoft/agents-hosting';
import { eq } from 'drizzle-orm';
import type { Database } from '../../../db/client.ts';
import { teams } from '../../../db/schema/index.ts';
import { cardActivity } from './cards/activity.ts';
import { replyCard } from './cards/message.ts';
import { channelOf, referenceKeys, type StoredReference, saveReference } from './references.ts';

type Channel = { tenant?: { id?: string }; team?: { id?: string } };

/**
 * Keeps the conversation reference Teams gives us when the bot is installed (in a team, or in a
 * person's personal scope), so proactive posts can reach it later. In a team channel it also says
 * which team's notices the channel gets, or how an admin links it in the directory.
 */
export async function captureReference(
  db: Database,
  context: TurnContext,
): Promise<StoredReference | undefined> {
  const a = context.activity;
  if (!a.conversation?.id || !a.serviceUrl) return undefined;
  const channelData = (a.channelData ?? {}) as Channel;
  const tenantId = a.conversation.tenantId ?? channelData.tenant?.id;
  const personal = a.conversation.conversationType === 'personal';
  const reference: StoredReference = {
    channelId: a.channelId ?? 'msteams',
    serviceUrl: a.serviceUrl,
    conversation: {
      id: personal ? a.conversation.id : channelOf(a.conversation.id),
      ...(a.conversation.conversationType ? { conversationType: a.conversation.conversationType } : {}),
      ...(a.conversation.isGroup !== undefined ? { isGroup: a.conversation.isGroup } : {}),
      ...(tenantId ? { tenantId } : {}),
    },
    ...(a.recipient?.id ? { agent: { id: a.recipient.id } } : {}),
  };
  if (personal) {
    const aad = a.from?.aadObjectId;
    if (!aad) return undefined;
    await saveReference(db, referenceKeys.person(aad), {
      ...reference,
      user: { id: a.from?.id ?? aad, aadObjectId: aad },
    });
    return reference;
  }
  await saveReference(db, referenceKeys.channel(reference.conversation.id), reference);
  return reference;
}

/** Handles the bot being added to a team or chat: keeps the reference and, in a channel, says hello. */
export async function onInstalled(db: Database, context: TurnContext, connectorKey: symbol): Promise<void> {
  const a = context.activity;
  const botAdded = (a.membersAdded ?? []).some((m) => m.id === a.recipient?.id);
  if (!botAdded) return;
  const reference = await captureReference(db, context);
  if (!reference || reference.conversation.conversationType === 'personal') return;
  const [team] = await db
    .select()
    .from(teams)
    .where(eq(teams.msteamsConversationId, reference.conversation.id));
  const text = team
    ? `Thanks for adding me. Oversight notices for team ${team.code} will be posted in this channel.`
    : "Thanks for adding me. To post a team's oversight notices here, an admin sets this in the directory:";
  const lines = team
    ? []
    : [`msteams: { conversationId: "${reference.conversation.id}", serviceUrl: "${reference.serviceUrl}" }`];
  // A new post in the channel, not a reply to the install event.
  const client = context.turnState.get<ConnectorClient>(connectorKey);
  await client.sendToConversation(
    reference.conversation.id,
    cardActivity(replyCard({ ok: true, text, lines })),
  );
}
