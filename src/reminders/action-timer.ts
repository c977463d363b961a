import { and, eq, sql } from 'drizzle-orm';
import { actions } from '../../db/schema/index.ts';
import type { TimerPayload } from '../../jobs/queues.ts';
import { audit } from '../audit/index.ts';
import { queueDirect } from '../chat/index.ts';
import { systemActor } from '../context.ts';
import { isManagerOf, staffByCode, teamByCode, teamStaff } from '../directory/index.ts';
import type { TxCtx } from '../unit-of-work.ts';
import { type Deps, transact } from '../unit-of-work.ts';
import { checkTimer, type TimerOutcome } from './outcome.ts';
import { type ActionReminder, planAction } from './plan.ts';
import { actionReminder, overdueEscalation } from './views.ts';

type ActionRow = typeof actions.$inferSelect;

/**
 * Fires an action's timer: the owner's reminders before it is due and while it is overdue, the
 * team lead's escalation, and the setter's reminders while it awaits confirmation. As for notices,
 * the sends, audit rows and next timer commit with the bumped version token in one transaction.
 */
export async function runActionTimer(deps: Deps, payload: TimerPayload): Promise<TimerOutcome> {
  return transact(deps, systemActor, async (ctx) => {
    // The row lock orders this timer with a done/confirm/cancel racing it: their compare-and-set
    // either commits first (a new version: we stop) or waits until this reminder is recorded.
    const [row] = await ctx.db.select().from(actions).where(eq(actions.id, payload.id)).for('update');
    const at = checkTimer('action', row, payload, ctx.now());
    if (!(at instanceof Date)) return at;
    const action = row!;
    const plan = planAction(action, ctx.policy.timings, at);
    const team = await teamByCode(ctx.db, action.teamCode);
    const timezone = team?.timezone ?? 'Europe/London';
    const sent: string[] = [];

    if (plan.remind) {
      await remind(ctx, action, plan.remind, plan.reminderCount, timezone);
      sent.push(plan.remind);
    }
    if (plan.escalate) {
      const lead = team?.leadCode ?? null;
      const owner = await staffByCode(ctx.db, action.ownerCode);
      const deliveries = lead
        ? await queueDirect(
            ctx,
            lead,
            overdueEscalation(action, owner?.name ?? action.ownerCode, ctx.policy.timings),
            {
              requestId: action.requestId,
              actionId: action.id,
              dedupeKey: `action-escalation:${action.id}:v${action.version}`,
            },
          )
        : 0;
      await audit(ctx.db, ctx.actor, {
        action: 'action.escalated',
        subjectType: 'action',
        subjectId: action.id,
        crn: action.crn,
        detail: { ref: action.ref, to: lead, deliveries, ...(lead ? {} : { undeliverable: 'no team lead' }) },
      });
      sent.push('escalation');
    }

    const [updated] = await ctx.db
      .update(actions)
      .set({
        reminderCount: plan.reminderCount,
        escalatedAt: plan.escalate ? at : action.escalatedAt,
        nextDueAt: plan.next?.at ?? null,
        nextStep: plan.next?.step ?? null,
        version: sql`${actions.version} + 1`,
      })
      .where(and(eq(actions.id, action.id), eq(actions.version, payload.version)))
      .returning({ version: actions.version });
    if (plan.next && updated) {
      ctx.effects.timers.push({
        payload: { subject: 'action', id: action.id, version: updated.version },
        at: plan.next.at,
      });
    }
    return { status: 'fired', sent, next: plan.next?.at ?? null };
  });
}

/** The owner for an open action; for one awaiting confirmation, the manager who set it. */
async function remind(
  ctx: TxCtx,
  action: ActionRow,
  kind: ActionReminder,
  count: number,
  timezone: string,
): Promise<void> {
  const view = actionReminder(action, kind, timezone);
  const recipients = kind === 'awaiting_confirmation' ? await confirmers(ctx, action) : [action.ownerCode];
  let deliveries = 0;
  for (const code of recipients) {
    deliveries += await queueDirect(ctx, code, view, {
      requestId: action.requestId,
      actionId: action.id,
      dedupeKey: `action-${kind}:${action.id}:v${action.version}:${code}`,
    });
  }
  await audit(ctx.db, ctx.actor, {
    action: 'action.reminded',
    subjectType: 'action',
    subjectId: action.id,
    crn: action.crn,
    detail: { ref: action.ref, reminder: kind, count, to: recipients, deliveries },
  });
}

/**
 * Who is asked to confirm: the manager who set the action; if they have left, the team lead, who
 * took over their work; if they are otherwise no longer a manager of the team (or there is no
 * active lead), every manager of it, so the question never goes unasked.
 */
async function confirmers(ctx: TxCtx, action: ActionRow): Promise<string[]> {
  const setter = await staffByCode(ctx.db, action.setBy);
  if (isManagerOf(setter, action.teamCode)) return [setter!.code];
  if (setter && !setter.active) {
    const team = await teamByCode(ctx.db, action.teamCode);
    const lead = team?.leadCode ? await staffByCode(ctx.db, team.leadCode) : undefined;
    if (lead?.active) return [lead.code];
  }
  return (await teamStaff(ctx.db, action.teamCode, 'manager')).map((m) => m.code);
}
