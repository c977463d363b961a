import { and, eq, inArray, ne, sql } from 'drizzle-orm';
import { actions, oversightRequests } from '../../db/schema/index.ts';
import { audit } from '../audit/index.ts';
import type { TxCtx } from '../unit-of-work.ts';

/**
 * Closes the request once every one of its actions is confirmed or cancelled; until then it stays
 * open, because asking for a task without ensuring it was done is not enough.
 */
export async function closeIfSettled(ctx: TxCtx, request: { id: string; crn: string }): Promise<boolean> {
  // Lock the request before counting: two last actions settled at once would otherwise each still
  // see the other as live (READ COMMITTED) and neither would close the request.
  await ctx.db
    .select({ id: oversightRequests.id })
    .from(oversightRequests)
    .where(eq(oversightRequests.id, request.id))
    .for('update');
  const [{ live }] = (await ctx.db
    .select({ live: sql<number>`count(*)::int` })
    .from(actions)
    .where(and(eq(actions.requestId, request.id), inArray(actions.status, ['open', 'done_claimed'])))) as [
    { live: number },
  ];
  if (live > 0) return false;
  const now = ctx.now();
  const [closed] = await ctx.db
    .update(oversightRequests)
    .set({
      status: 'closed',
      closedAt: now,
      nextDueAt: null,
      nextStep: null,
      version: sql`${oversightRequests.version} + 1`,
      updatedAt: now,
    })
    .where(and(eq(oversightRequests.id, request.id), ne(oversightRequests.status, 'closed')))
    .returning({ id: oversightRequests.id });
  if (closed) {
    await audit(ctx.db, ctx.actor, {
      action: 'request.closed',
      subjectType: 'request',
      subjectId: request.id,
      crn: request.crn,
    });
  }
  return Boolean(closed);
}
