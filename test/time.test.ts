import { describe, expect, it } from 'vitest';
import { formatLocal, isCalendarDate, localDate, overdueFrom, startOfLocalDay } from '../src/time.ts';

describe("calendar arithmetic in a team's timezone", () => {
  it('an action is overdue from the start of the next local day, across the clock changes', () => {
    expect(overdueFrom('2026-07-01', 'Europe/London').toISOString()).toBe('2026-07-01T23:00:00.000Z');
    expect(overdueFrom('2026-12-01', 'Europe/London').toISOString()).toBe('2026-12-02T00:00:00.000Z');
    // The day the clocks go forward (29 March) and back (25 October).
    expect(overdueFrom('2026-03-28', 'Europe/London').toISOString()).toBe('2026-03-29T00:00:00.000Z');
    expect(overdueFrom('2026-03-29', 'Europe/London').toISOString()).toBe('2026-03-29T23:00:00.000Z');
    expect(overdueFrom('2026-10-24', 'Europe/London').toISOString()).toBe('2026-10-24T23:00:00.000Z');
    expect(overdueFrom('2026-10-25', 'Europe/London').toISOString()).toBe('2026-10-26T00:00:00.000Z');
    expect(startOfLocalDay('2026-11-26', 'America/New_York').toISOString()).toBe('2026-11-26T05:00:00.000Z');
  });

  it('reads and writes local dates and times', () => {
    expect(localDate(new Date('2026-07-01T23:30:00Z'), 'Europe/London')).toBe('2026-07-02');
    expect(formatLocal(new Date('2026-11-27T10:00:00Z'), 'Europe/London')).toBe('Fri 27 Nov 10:00');
    expect(isCalendarDate('2026-02-29')).toBe(false);
    expect(isCalendarDate('2028-02-29')).toBe(true);
    expect(isCalendarDate('29/02/2028')).toBe(false);
  });
});
