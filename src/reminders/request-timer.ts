import { and, eq, sql } from 'drizzle-orm';
import { oversightRequests } from '../../db/schema/index.ts';
import type { TimerPayload } from '../../jobs/queues.ts';
import { audit } from '../audit/index.ts';
import { queueDirect, queueThreadReply } from '../chat/index.ts';
import { systemActor } from '../context.ts';
import { teamByCode } from '../directory/index.ts';
import { type Deps, transact } from '../unit-of-work.ts';
import { checkTimer, type TimerOutcome } from './outcome.ts';
import { planRequest } from './plan.ts';
import { unacknowledgedEscalation, unacknowledgedReminder } from './views.ts';

/**
 * Fires a notice's timer: a reminder in its thread while unacknowledged, and the team lead's
 * escalation. What it sends, the audit rows and the next timer commit in one transaction with the
 * bumped version token, so a retried or duplicated job finds a stale token and sends nothing.
 */
export async function runRequestTimer(deps: Deps, payload: TimerPayload): Promise<TimerOutcome> {
  return transact(deps, systemActor, async (ctx) => {
    // The row lock orders this timer with an acknowledgement racing it: either the manager's
    // compare-and-set commits first (we then see a new version and stop), or it waits for us.
    const [row] = await ctx.db
      .select()
      .from(oversightRequests)
      .where(eq(oversightRequests.id, payload.id))
      .for('update');
    const at = checkTimer('request', row, payload, ctx.now());
    if (!(at instanceof Date)) return at;
    const request = row!;
    const plan = planRequest(request, ctx.policy.timings, at);
    const team = await teamByCode(ctx.db, request.teamCode);
    const timezone = team?.timezone ?? 'Europe/London';
    const dedupe = (what: string) => `request-${what}:${request.id}:v${request.version}`;
    const sent: string[] = [];

    if (plan.remind) {
      await queueThreadReply(
        ctx,
        request,
        unacknowledgedReminder(request, timezone, plan.reminderCount),
        dedupe('reminder'),
      );
      await audit(ctx.db, ctx.actor, {
        action: 'request.reminded',
        subjectType: 'request',
        subjectId: request.id,
        crn: request.crn,
        detail: { reminder: plan.reminderCount },
      });
      sent.push('reminder');
    }
    if (plan.escalate) {
      const lead = team?.leadCode ?? null;
      const deliveries = lead
        ? await queueDirect(ctx, lead, unacknowledgedEscalation(request, timezone, ctx.policy.timings), {
            requestId: request.id,
            dedupeKey: dedupe('escalation'),
          })
        : 0;
      // With no lead in the directory the escalation cannot go anywhere; the audit row says so and
      // the notice stays in every digest until acknowledged.
      await audit(ctx.db, ctx.actor, {
        action: 'request.escalated',
        subjectType: 'request',
        subjectId: request.id,
        crn: request.crn,
        detail: { to: lead, automatic: true, deliveries, ...(lead ? {} : { undeliverable: 'no team lead' }) },
      });
      sent.push('escalation');
    }

    const [updated] = await ctx.db
      .update(oversightRequests)
      .set({
        reminderCount: plan.reminderCount,
        escalatedAt: plan.escalate ? at : request.escalatedAt,
        nextDueAt: plan.next?.at ?? null,
        nextStep: plan.next?.step ?? null,
        version: sql`${oversightRequests.version} + 1`,
      })
      .where(and(eq(oversightRequests.id, request.id), eq(oversightRequests.version, payload.version)))
      .returning({ version: oversightRequests.version });
    if (plan.next && updated) {
      ctx.effects.timers.push({
        payload: { subject: 'request', id: request.id, version: updated.version },
        at: plan.next.at,
      });
    }
    return { status: 'fired', sent, next: plan.next?.at ?? null };
  });
}
