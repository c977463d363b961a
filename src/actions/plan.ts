import type { actions } from '../../db/schema/index.ts';
import type { PolicyTimings } from '../policy/index.ts';

type ActionTimerState = Pick<
  typeof actions.$inferSelect,
  'status' | 'overdueFrom' | 'doneAt' | 'reminderCount' | 'escalatedAt'
>;

/**
 * The first moment something may be due for an action (a reminder, an escalation), or null when
 * nothing is: confirmed and cancelled actions are never chased again. The timer processor decides
 * at that moment what exactly to send and plans the next one.
 */
export function firstActionTimer(action: ActionTimerState, timings: PolicyTimings, now: Date): Date | null {
  if (action.status === 'confirmed' || action.status === 'cancelled') return null;
  if (action.status === 'done_claimed') {
    const from = action.doneAt ?? now;
    return new Date(from.getTime() + timings.remindAwaitingConfirmationEvery.ms);
  }
  const beforeDue = new Date(action.overdueFrom.getTime() - timings.remindBeforeDue.ms);
  return beforeDue > now ? beforeDue : now;
}
