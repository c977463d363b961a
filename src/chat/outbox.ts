import { eq } from 'drizzle-orm';
import { deliveries, type Platform, staff, teams } from '../../db/schema/index.ts';
import type { TxCtx } from '../unit-of-work.ts';
import type { MessageView } from './views.ts';

/**
 * Queues outbound chat messages as delivery rows in the caller's transaction; the delivery worker
 * sends them after commit, paced per channel and retried. Notices are rendered from the database
 * when sent, so a queued update always shows the latest state.
 */

type NoticeMode = 'post' | 'update';

/** Posts (once per platform) or re-renders the notice of a request in its team's channels. */
export async function queueNotice(
  ctx: TxCtx,
  request: { id: string; teamCode: string },
  mode: NoticeMode,
): Promise<void> {
  const [team] = await ctx.db.select().from(teams).where(eq(teams.code, request.teamCode));
  if (!team) return;
  const targets: Array<{ platform: Platform; target: string }> = [];
  for (const platform of ctx.platforms) {
    if (platform === 'slack' && team.slackChannel) targets.push({ platform, target: team.slackChannel });
    if (platform === 'msteams' && team.msteamsConversationId) {
      targets.push({ platform, target: team.msteamsConversationId });
    }
    if (platform === 'console') targets.push({ platform, target: `team:${team.code}` });
  }
  await insertDeliveries(
    ctx,
    targets.map(({ platform, target }) => ({
      platform,
      kind: `notice.${mode}`,
      target,
      teamCode: team.code,
      requestId: request.id,
      dedupeKey: mode === 'post' ? `notice.post:${request.id}:${platform}` : null,
      payload: { requestId: request.id },
    })),
  );
}

/** Replies in the notice's thread (reminders while unacknowledged). */
export async function queueThreadReply(
  ctx: TxCtx,
  request: { id: string; teamCode: string },
  message: MessageView,
  dedupeKey: string,
): Promise<void> {
  const [team] = await ctx.db.select().from(teams).where(eq(teams.code, request.teamCode));
  if (!team) return;
  const rows = ctx.platforms.flatMap((platform) => {
    const target =
      platform === 'slack'
        ? team.slackChannel
        : platform === 'msteams'
          ? team.msteamsConversationId
          : `team:${team.code}`;
    if (!target) return [];
    return [
      {
        platform,
        kind: 'thread.reply',
        target,
        teamCode: team.code,
        requestId: request.id,
        dedupeKey: `${dedupeKey}:${platform}`,
        payload: message,
      },
    ];
  });
  await insertDeliveries(ctx, rows);
}

/** A direct message to a member of staff on every platform the directory knows them on. */
export async function queueDirect(
  ctx: TxCtx,
  staffCode: string,
  message: MessageView,
  options: { requestId?: string; actionId?: string; dedupeKey?: string } = {},
): Promise<number> {
  const [person] = await ctx.db.select().from(staff).where(eq(staff.code, staffCode));
  // A leaver receives nothing: their work went to the team lead when they were deactivated.
  if (!person?.active) return 0;
  const rows = ctx.platforms.flatMap((platform) => {
    const reachable =
      platform === 'console' ||
      (platform === 'slack' && person.slackUserId) ||
      (platform === 'msteams' && person.msteamsAadObjectId);
    if (!reachable) return [];
    return [
      {
        platform,
        kind: 'direct',
        target: person.code,
        teamCode: person.teamCode,
        requestId: options.requestId ?? null,
        actionId: options.actionId ?? null,
        dedupeKey: options.dedupeKey ? `${options.dedupeKey}:${platform}` : null,
        payload: message,
      },
    ];
  });
  await insertDeliveries(ctx, rows);
  return rows.length;
}

type DeliveryInsert = typeof deliveries.$inferInsert;

async function insertDeliveries(ctx: TxCtx, rows: DeliveryInsert[]): Promise<void> {
  if (rows.length === 0) return;
  const inserted = await ctx.db
    .insert(deliveries)
    .values(rows)
    .onConflictDoNothing({ target: deliveries.dedupeKey })
    .returning({ id: deliveries.id });
  ctx.effects.deliveries.push(...inserted.map((r) => r.id));
}
