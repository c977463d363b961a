import type { actions, oversightRequests } from '../../db/schema/index.ts';
import type { PolicyTimings } from '../policy/index.ts';
import { countUpTo, earliest, nth, type Schedule } from './series.ts';

/**
 * What a timer sends when it fires, and when the next one is due: pure functions of the row, the
 * policy timings and the moment. The paper: "just asking for tasks to be undertaken, without
 * ensuring they have been done, is not enough" — so an action is chased until it is confirmed or
 * cancelled, and a notice until a manager acknowledges it.
 */

type RequestRow = typeof oversightRequests.$inferSelect;
type ActionRow = typeof actions.$inferSelect;

export type RequestTimerState = Pick<
  RequestRow,
  'status' | 'openedAt' | 'acknowledgeBy' | 'reminderCount' | 'escalatedAt'
>;
export type ActionTimerState = Pick<
  ActionRow,
  'status' | 'overdueFrom' | 'doneAt' | 'reminderCount' | 'escalatedAt'
>;

export type RequestStep = 'remind' | 'escalate';
export type ActionStep = 'remind' | 'escalate' | 'remind_confirm';
export type ActionReminder = 'due_soon' | 'overdue' | 'awaiting_confirmation';

export type RequestPlan = {
  /** A reminder in the notice's thread, now. */
  remind: boolean;
  /** A direct message to the team lead, now. */
  escalate: boolean;
  /** Reminders accounted for after this one (missed ones are folded into one late reminder). */
  reminderCount: number;
  next: { at: Date; step: RequestStep } | null;
};

export type ActionPlan = {
  remind: ActionReminder | null;
  escalate: boolean;
  reminderCount: number;
  next: { at: Date; step: ActionStep } | null;
};

/** Thread reminders: at acknowledge-by, then every `acknowledgeWithin` while unacknowledged. */
function requestSchedule(r: RequestTimerState, t: PolicyTimings): Schedule {
  return [{ start: r.acknowledgeBy.getTime(), every: t.acknowledgeWithin.ms }];
}

/** Plans a notice's timer at `at`: only an open (unacknowledged) notice is chased. */
export function planRequest(r: RequestTimerState, t: PolicyTimings, at: Date): RequestPlan {
  if (r.status !== 'open')
    return { remind: false, escalate: false, reminderCount: r.reminderCount, next: null };
  const now = at.getTime();
  const schedule = requestSchedule(r, t);
  const due = countUpTo(schedule, now);
  const reminderCount = Math.max(due, r.reminderCount);
  const escalateAt = r.openedAt.getTime() + t.escalateUnacknowledgedAfter.ms;
  const escalate = r.escalatedAt === null && escalateAt <= now;
  const nextReminder = nth(schedule, reminderCount);
  const nextEscalation = r.escalatedAt === null && !escalate ? escalateAt : null;
  const nextAt = earliest(nextReminder, nextEscalation);
  return {
    remind: due > r.reminderCount,
    escalate,
    reminderCount,
    next:
      nextAt === null
        ? null
        : { at: new Date(nextAt), step: nextAt === nextEscalation ? 'escalate' : 'remind' },
  };
}

/**
 * The owner's reminders while an action is open: once `remindBeforeDue` before it becomes overdue,
 * then at the moment it does and every `repeatOverdueEvery` after. While it awaits confirmation:
 * the manager who set it, every `remindAwaitingConfirmationEvery` after it was marked done.
 */
function actionSchedule(a: ActionTimerState, t: PolicyTimings, fallbackDoneAt: number): Schedule {
  if (a.status === 'open') {
    const overdue = a.overdueFrom.getTime();
    const before = t.remindBeforeDue.ms > 0 ? [{ start: overdue - t.remindBeforeDue.ms, every: 0 }] : [];
    return [...before, { start: overdue, every: t.repeatOverdueEvery.ms }];
  }
  if (a.status === 'done_claimed') {
    const every = t.remindAwaitingConfirmationEvery.ms;
    if (every <= 0) return [];
    return [{ start: (a.doneAt?.getTime() ?? fallbackDoneAt) + every, every }];
  }
  return [];
}

/** Plans an action's timer at `at`. Confirmed and cancelled actions are never chased again. */
export function planAction(a: ActionTimerState, t: PolicyTimings, at: Date): ActionPlan {
  const none: ActionPlan = { remind: null, escalate: false, reminderCount: a.reminderCount, next: null };
  if (a.status !== 'open' && a.status !== 'done_claimed') return none;
  const now = at.getTime();
  const schedule = actionSchedule(a, t, now);
  const due = countUpTo(schedule, now);
  const reminderCount = Math.max(due, a.reminderCount);
  let remind: ActionReminder | null = null;
  if (due > a.reminderCount) {
    if (a.status === 'done_claimed') remind = 'awaiting_confirmation';
    else remind = now >= a.overdueFrom.getTime() ? 'overdue' : 'due_soon';
  }
  // Escalation to the team lead is about an overdue action; one awaiting confirmation is the
  // managers' to settle, and the digest shows it to the lead.
  const escalateAt = a.status === 'open' ? a.overdueFrom.getTime() + t.escalateOverdueAfter.ms : null;
  const escalate = escalateAt !== null && a.escalatedAt === null && escalateAt <= now;
  const nextReminder = nth(schedule, reminderCount);
  const nextEscalation = escalateAt !== null && a.escalatedAt === null && !escalate ? escalateAt : null;
  const nextAt = earliest(nextReminder, nextEscalation);
  let step: ActionStep = a.status === 'done_claimed' ? 'remind_confirm' : 'remind';
  if (nextAt !== null && nextAt === nextEscalation) step = 'escalate';
  return { remind, escalate, reminderCount, next: nextAt === null ? null : { at: new Date(nextAt), step } };
}

/**
 * The first moment something may be due for an action in its current state (never before `now`),
 * or null when nothing ever is: what a state change writes as the action's next due time.
 */
export function firstActionDue(a: ActionTimerState, t: PolicyTimings, now: Date): Date | null {
  if (a.status !== 'open' && a.status !== 'done_claimed') return null;
  const reminder = nth(actionSchedule(a, t, now.getTime()), a.reminderCount);
  const escalation =
    a.status === 'open' && a.escalatedAt === null
      ? a.overdueFrom.getTime() + t.escalateOverdueAfter.ms
      : null;
  const at = earliest(reminder, escalation);
  return at === null ? null : new Date(Math.max(at, now.getTime()));
}
