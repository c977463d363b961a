import { and, eq, sql } from 'drizzle-orm';
import { oversightRequests } from '../../db/schema/index.ts';
import { audit } from '../audit/index.ts';
import { queueNotice } from '../chat/index.ts';
import type { Actor } from '../context.ts';
import { isManagerOf } from '../directory/index.ts';
import { actingStaff, managerOnly, refuse } from '../permissions.ts';
import { type Deps, transact } from '../unit-of-work.ts';
import { requestById } from './load.ts';

export type AcknowledgeResult =
  | { status: 'acknowledged'; requestId: string; crn: string; at: Date }
  | { status: 'already'; requestId: string; crn: string; by: string | null; at: Date | null };

/** A manager of the case's team acknowledges the notice; reminders and escalation of it stop. */
export async function acknowledge(
  deps: Deps,
  actor: Actor,
  input: { requestId: string },
): Promise<AcknowledgeResult> {
  const request = await requestById(deps.db, input.requestId);
  const person = await actingStaff(deps.db, actor);
  if (!isManagerOf(person, request.teamCode)) {
    await refuse(
      deps.db,
      actor,
      { action: 'request.acknowledge', subjectType: 'request', subjectId: request.id, crn: request.crn },
      managerOnly('acknowledge this notice'),
    );
  }
  return transact(deps, actor, async (ctx) => {
    const at = ctx.now();
    // Compare-and-set on status: of two managers pressing at once (or a double click), exactly one
    // update matches `status = 'open'`; the other sees who got there first.
    const [updated] = await ctx.db
      .update(oversightRequests)
      .set({
        status: 'acknowledged',
        acknowledgedBy: person!.code,
        acknowledgedAt: at,
        nextDueAt: null,
        nextStep: null,
        version: sql`${oversightRequests.version} + 1`,
        updatedAt: at,
      })
      .where(and(eq(oversightRequests.id, request.id), eq(oversightRequests.status, 'open')))
      .returning({ id: oversightRequests.id });
    if (!updated) {
      const current = await requestById(ctx.db, request.id);
      return {
        status: 'already',
        requestId: request.id,
        crn: request.crn,
        by: current.acknowledgedBy,
        at: current.acknowledgedAt,
      };
    }
    await audit(ctx.db, ctx.actor, {
      action: 'request.acknowledged',
      subjectType: 'request',
      subjectId: request.id,
      crn: request.crn,
    });
    await queueNotice(ctx, request, 'update');
    return { status: 'acknowledged', requestId: request.id, crn: request.crn, at };
  });
}
