import { pace } from '../../jobs/delivery.ts';
import type { FaultWindow } from '../faults.ts';
import { type Duplicate, destinationOf } from './tally.ts';

/**
 * How many sends one destination may have in flight at once: the delivery queue paces each
 * channel to one message an interval plus `burst` back to back, so a fault can cut that many
 * sends between the platform call and its record.
 */
export const perDestination = 1 + pace.burst;

/** A send cut short by a fault reached the platform at most this long before the fault began. */
const before = 5000;
/** Whether a repeat's first copy went out while a fault could cut it short, or while its work was being redone. */
const within = (w: FaultWindow, at: number) => at >= w.from - before && at <= w.to + w.recoveryMs;

export type RepeatJudgement = {
  /** Repeats whose first copy went out nowhere near a fault: at-least-once delivery failing on its own. */
  outside: Duplicate[];
  /** Repeats by kind of fault. */
  byFault: Map<string, number>;
  /** The most repeats one destination had from one fault. */
  worstPerDestination: number;
};

/**
 * Attributes each repeat to the fault whose window holds its first copy (the nearest one when
 * windows overlap), and counts them per destination and fault: more than `perDestination`, or a
 * repeat with no fault near it, is at-least-once delivery repeating itself on its own — a bug.
 */
export function judgeRepeats(repeats: Duplicate[], windows: FaultWindow[]): RepeatJudgement {
  const outside: Duplicate[] = [];
  const byFault = new Map<string, number>();
  const perDestination = new Map<string, number>();
  for (const d of repeats) {
    const holding = windows
      .map((w, i) => ({ w, i }))
      .filter(({ w }) => within(w, d.first))
      .sort((a, b) => Math.abs(a.w.from - d.first) - Math.abs(b.w.from - d.first));
    const nearest = holding[0];
    if (!nearest) {
      outside.push(d);
      continue;
    }
    byFault.set(nearest.w.what, (byFault.get(nearest.w.what) ?? 0) + 1);
    const key = `${nearest.i} ${destinationOf(d.key)}`;
    perDestination.set(key, (perDestination.get(key) ?? 0) + 1);
  }
  return { outside, byFault, worstPerDestination: Math.max(0, ...perDestination.values()) };
}
