/**
 * Reminder times as arithmetic series of instants (ms since the epoch). Planning from series and a
 * count of what was already sent, rather than from "the last time we sent", keeps the plan a pure
 * function of the row: a worker that was down for days sends one late reminder, not a burst, and
 * two workers planning from the same row agree.
 */

/** `start`, `start + every`, `start + 2·every`, …; `every ≤ 0` means `start` only. */
export type Series = { start: number; every: number };

/** A schedule: series in time order that do not overlap (each ends before the next starts). */
export type Schedule = readonly Series[];

const lengthOf = (s: Series): number => (s.every > 0 ? Number.POSITIVE_INFINITY : 1);

/** How many occurrences of `series` fall at or before `t`. */
export function countSeriesUpTo(series: Series, t: number): number {
  if (t < series.start) return 0;
  if (series.every <= 0) return 1;
  return Math.floor((t - series.start) / series.every) + 1;
}

/** How many occurrences of the schedule fall at or before `t`. */
export function countUpTo(schedule: Schedule, t: number): number {
  return schedule.reduce((n, s) => n + countSeriesUpTo(s, t), 0);
}

/** The `k`-th occurrence (0-based) of the schedule, or null when it has fewer. */
export function nth(schedule: Schedule, k: number): number | null {
  let rest = k;
  for (const s of schedule) {
    const len = lengthOf(s);
    if (rest < len) return s.start + rest * Math.max(s.every, 0);
    rest -= len;
  }
  return null;
}

/** The earlier of two optional instants. */
export function earliest(a: number | null, b: number | null): number | null {
  if (a === null) return b;
  if (b === null) return a;
  return Math.min(a, b);
}
