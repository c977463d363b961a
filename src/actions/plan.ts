import type { PolicyTimings } from '../policy/index.ts';
import { type ActionTimerState, firstActionDue } from '../reminders/plan.ts';

/**
 * The first moment something may be due for an action that has just entered its state (recorded,
 * marked done, reopened), or null when nothing is: confirmed and cancelled actions are never
 * chased again. The timer processor decides at that moment what exactly to send and plans the next
 * one (src/reminders/plan.ts), so a state change and the timer agree on one schedule.
 */
export function firstActionTimer(action: ActionTimerState, timings: PolicyTimings, now: Date): Date | null {
  // A state change starts the state's reminders afresh (it writes reminder_count 0); the count of
  // the state being left (e.g. owner reminders before `done`) must not push the first one back.
  return firstActionDue({ ...action, reminderCount: 0 }, timings, now);
}
