import { describe, expect, it } from 'vitest';
import { firstActionTimer } from '../src/actions/plan.ts';
import { loadPolicy } from '../src/policy/load.ts';
import { firstActionDue, planAction, planRequest } from '../src/reminders/plan.ts';
import { countUpTo, nth } from '../src/reminders/series.ts';
import { secondsPolicy } from './reminders-support.ts';

// The built-in policy: acknowledge within 1d, escalate after 2d; remind 1d before due, every 1d
// while overdue, escalate 3d overdue; remind to confirm every 1d.
const days = loadPolicy().timings;
const H = 3_600_000;
const D = 24 * H;
// The planner takes the clock as an argument: any instant will do, so the test's own.
const t0 = new Date();
const at = (ms: number) => new Date(t0.getTime() + ms);

const openRequest = {
  status: 'open' as const,
  openedAt: t0,
  acknowledgeBy: at(D),
  reminderCount: 0,
  escalatedAt: null,
};

describe('the schedule series', () => {
  it('counts occurrences up to an instant and finds the k-th one', () => {
    const schedule = [
      { start: 10, every: 0 },
      { start: 20, every: 5 },
    ];
    expect([9, 10, 19, 20, 24, 25].map((t) => countUpTo(schedule, t))).toEqual([0, 1, 1, 2, 2, 3]);
    expect([0, 1, 2, 3].map((k) => nth(schedule, k))).toEqual([10, 20, 25, 30]);
    expect(nth([{ start: 10, every: 0 }], 1)).toBeNull();
  });
});

describe('planning a notice', () => {
  it('nothing is due before acknowledge-by; the first timer is the reminder', () => {
    const plan = planRequest(openRequest, days, at(H));
    expect(plan).toMatchObject({ remind: false, escalate: false, reminderCount: 0 });
    expect(plan.next).toEqual({ at: at(D), step: 'remind' });
  });

  it('past acknowledge-by it reminds in the thread, then plans the escalation', () => {
    const plan = planRequest(openRequest, days, at(D));
    expect(plan).toMatchObject({ remind: true, escalate: false, reminderCount: 1 });
    expect(plan.next).toEqual({ at: at(2 * D), step: 'escalate' });
  });

  it('past escalate-after it reminds again and tells the team lead once', () => {
    const plan = planRequest({ ...openRequest, reminderCount: 1 }, days, at(2 * D));
    expect(plan).toMatchObject({ remind: true, escalate: true, reminderCount: 2 });
    expect(plan.next).toEqual({ at: at(3 * D), step: 'remind' });
    const after = planRequest({ ...openRequest, reminderCount: 2, escalatedAt: at(2 * D) }, days, at(3 * D));
    expect(after).toMatchObject({ remind: true, escalate: false, reminderCount: 3 });
  });

  it('a worker that was down for days sends one late reminder, not a burst', () => {
    const plan = planRequest({ ...openRequest, reminderCount: 1 }, days, at(5 * D + H));
    expect(plan).toMatchObject({ remind: true, escalate: true, reminderCount: 5 });
    expect(plan.next?.at).toEqual(at(6 * D));
  });

  it('an acknowledged, recorded or closed notice is not chased', () => {
    for (const status of ['acknowledged', 'recorded', 'closed'] as const) {
      expect(planRequest({ ...openRequest, status }, days, at(3 * D))).toMatchObject({
        remind: false,
        escalate: false,
        next: null,
      });
    }
  });
});

describe('planning an action', () => {
  const overdueFrom = at(10 * D);
  const open = { status: 'open' as const, overdueFrom, doneAt: null, reminderCount: 0, escalatedAt: null };

  it('the owner is first reminded remind-before-due before it becomes overdue', () => {
    expect(firstActionDue(open, days, t0)).toEqual(at(9 * D));
    const plan = planAction(open, days, at(9 * D));
    expect(plan).toMatchObject({ remind: 'due_soon', escalate: false, reminderCount: 1 });
    expect(plan.next).toEqual({ at: overdueFrom, step: 'remind' });
  });

  it('then when it becomes overdue and every repeat interval while it stays so', () => {
    const first = planAction({ ...open, reminderCount: 1 }, days, overdueFrom);
    expect(first).toMatchObject({ remind: 'overdue', reminderCount: 2 });
    expect(first.next?.at).toEqual(at(11 * D));
    const later = planAction({ ...open, reminderCount: 3 }, days, at(12 * D));
    expect(later).toMatchObject({ remind: 'overdue', reminderCount: 4, escalate: false });
    expect(later.next).toEqual({ at: at(13 * D), step: 'escalate' });
  });

  it('the team lead hears once it has been overdue for escalate-overdue-after', () => {
    const plan = planAction({ ...open, reminderCount: 4 }, days, at(13 * D));
    expect(plan).toMatchObject({ remind: 'overdue', escalate: true, reminderCount: 5 });
    expect(plan.next).toEqual({ at: at(14 * D), step: 'remind' });
    const after = planAction({ ...open, reminderCount: 5, escalatedAt: at(13 * D) }, days, at(14 * D));
    expect(after.escalate).toBe(false);
  });

  it('an action recorded with a past due date is due at once, and reminded once', () => {
    const past = { ...open, overdueFrom: at(-2 * D) };
    expect(firstActionDue(past, days, t0)).toEqual(t0);
    const plan = planAction(past, days, t0);
    expect(plan).toMatchObject({ remind: 'overdue', reminderCount: 4 });
    expect(plan.next?.at).toEqual(at(D));
  });

  it('while it awaits confirmation the setter is reminded every interval after it was marked done', () => {
    const claimed = { ...open, status: 'done_claimed' as const, doneAt: at(H) };
    expect(firstActionDue(claimed, days, at(H))).toEqual(at(D + H));
    const plan = planAction(claimed, days, at(D + H));
    expect(plan).toMatchObject({ remind: 'awaiting_confirmation', escalate: false, reminderCount: 1 });
    expect(plan.next).toEqual({ at: at(2 * D + H), step: 'remind_confirm' });
  });

  it('a state change starts its reminders afresh, whatever was sent in the state before', () => {
    // The owner had three reminders; marking it done plans the first reminder to confirm one
    // interval after, not four.
    const claimed = { ...open, status: 'done_claimed' as const, doneAt: at(H), reminderCount: 3 };
    expect(firstActionTimer(claimed, days, at(H))).toEqual(at(D + H));
  });

  it('a confirmed or cancelled action is never chased again', () => {
    for (const status of ['confirmed', 'cancelled'] as const) {
      expect(firstActionDue({ ...open, status }, days, t0)).toBeNull();
      expect(planAction({ ...open, status }, days, at(20 * D))).toMatchObject({ remind: null, next: null });
    }
  });

  it('a zero interval means once, not a loop', () => {
    // A policy file cannot say 0s (policy check refuses it), so the zero is set after parsing: the
    // planner must still treat it as once rather than loop, should one ever reach it.
    const parsed = secondsPolicy({
      acknowledgeWithin: '1s',
      escalateUnacknowledgedAfter: '1s',
      remindBeforeDue: '1s',
      repeatOverdueEvery: '1s',
      escalateOverdueAfter: '1s',
      remindAwaitingConfirmationEvery: '1s',
      noOversightWithin: '1s',
    }).timings;
    const once = Object.fromEntries(
      Object.keys(parsed).map((name) => [name, { text: '0s', ms: 0 }]),
    ) as typeof parsed;
    const plan = planAction(open, once, overdueFrom);
    expect(plan).toMatchObject({ remind: 'overdue', escalate: true, reminderCount: 1, next: null });
    const claimed = { ...open, status: 'done_claimed' as const, doneAt: t0 };
    expect(firstActionDue(claimed, once, t0)).toBeNull();
  });
});
