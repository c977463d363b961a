import type { CloudAdapter } from '@microsoft/agents-hosting';
import { eq } from 'drizzle-orm';
import { z } from 'zod';
import type { Database } from '../../../db/client.ts';
import { conversationRefs, teams } from '../../../db/schema/index.ts';

/** A Bot Connector conversation reference, as `continueConversation` takes it. */
export type ConversationReference = Parameters<CloudAdapter['continueConversation']>[1];

/**
 * What we keep of a reference: where to call (service URL), which conversation, which tenant, and
 * the bot's id. Never the names Teams sends along (data minimisation).
 */
const storedReference = z.object({
  channelId: z.string(),
  serviceUrl: z.string(),
  conversation: z.object({
    id: z.string(),
    conversationType: z.string().optional(),
    isGroup: z.boolean().optional(),
    tenantId: z.string().optional(),
  }),
  agent: z.object({ id: z.string() }).optional(),
  user: z.object({ id: z.string(), aadObjectId: z.string().optional() }).optional(),
});
export type StoredReference = z.infer<typeof storedReference>;

/** Keys of `conversation_refs`: a team channel by conversation id, a 1:1 chat by the person's Entra id. */
export const referenceKeys = {
  channel: (conversationId: string) => `msteams:conversation:${channelOf(conversationId)}`,
  person: (aadObjectId: string) => `msteams:user:${aadObjectId}`,
};

/** A channel thread's conversation id is the channel's plus `;messageid=…`: the channel is what we post to. */
export function channelOf(conversationId: string): string {
  return conversationId.split(';')[0] ?? conversationId;
}

export async function saveReference(db: Database, key: string, reference: StoredReference): Promise<void> {
  const value = JSON.stringify(storedReference.parse(reference));
  await db
    .insert(conversationRefs)
    .values({ key, platform: 'msteams', reference: value })
    .onConflictDoUpdate({ target: conversationRefs.key, set: { reference: value, updatedAt: new Date() } });
}

export async function loadReference(db: Database, key: string): Promise<StoredReference | undefined> {
  const [row] = await db.select().from(conversationRefs).where(eq(conversationRefs.key, key));
  if (!row) return undefined;
  const parsed = storedReference.safeParse(JSON.parse(row.reference));
  return parsed.success ? parsed.data : undefined;
}

/**
 * The reference of a team's channel: the one captured when the bot was installed there (its
 * service URL is the one Teams last told us), else one built from the directory's entry.
 */
export async function channelReference(
  db: Database,
  conversationId: string,
): Promise<StoredReference | undefined> {
  const channel = channelOf(conversationId);
  const captured = await loadReference(db, referenceKeys.channel(channel));
  if (captured) return captured;
  const [team] = await db.select().from(teams).where(eq(teams.msteamsConversationId, channel));
  if (!team?.msteamsServiceUrl) return undefined;
  return {
    channelId: 'msteams',
    serviceUrl: team.msteamsServiceUrl,
    conversation: {
      id: channel,
      conversationType: 'channel',
      isGroup: true,
      ...(team.msteamsTenantId ? { tenantId: team.msteamsTenantId } : {}),
    },
  };
}

/** Where to open a 1:1 chat with a member of staff: their team's channel's service URL and tenant. */
export async function serviceForTeam(
  db: Database,
  teamCode: string,
): Promise<{ serviceUrl: string; tenantId?: string } | undefined> {
  const [team] = await db.select().from(teams).where(eq(teams.code, teamCode));
  if (!team) return undefined;
  const channel = team.msteamsConversationId
    ? await channelReference(db, team.msteamsConversationId)
    : undefined;
  const serviceUrl = channel?.serviceUrl ?? team.msteamsServiceUrl;
  if (!serviceUrl) return undefined;
  const tenantId = channel?.conversation.tenantId ?? team.msteamsTenantId ?? undefined;
  return { serviceUrl, ...(tenantId ? { tenantId } : {}) };
}
