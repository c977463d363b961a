import { localDate } from '../../src/time.ts';

/**
 * Dates for tests, computed from the clock the test runs on (or from a `now` the test controls),
 * so a test written today still passes next year. A calendar date is written into a test only
 * where the date itself is the subject (see test/calendar-dates.test.ts for the allow-list).
 */

/** The timezone of the teams the factories and the directory fixtures make. */
export const TEAM_TZ = 'Europe/London';

const DAY_MS = 86_400_000;

/** `date` (YYYY-MM-DD) moved by `n` calendar days (negative: earlier). */
export function addDays(date: string, n: number): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d + n)).toISOString().slice(0, 10);
}

/** Today in `tz` as YYYY-MM-DD, at `now` (the real clock unless the test controls it). */
export function today(tz: string = TEAM_TZ, now: Date = new Date()): string {
  return localDate(now, tz);
}

/** The local date `n` days from today in `tz` (negative: in the past). */
export function daysFromToday(n: number, tz: string = TEAM_TZ, now: Date = new Date()): string {
  return addDays(today(tz, now), n);
}

/** The instant `n` days (fractions allowed) after `from`: before it when negative. */
export function daysAfter(n: number, from: Date = new Date()): Date {
  return new Date(from.getTime() + n * DAY_MS);
}

/** As daysAfter, as ISO 8601 text (what the event API takes). */
export function isoDaysAfter(n: number, from: Date = new Date()): string {
  return daysAfter(n, from).toISOString();
}
