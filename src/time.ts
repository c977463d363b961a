/** Calendar arithmetic in a team's timezone, with Intl (no hand-kept offset tables). */

// Building an Intl.DateTimeFormat is costly (it loads locale and zone data); there are few
// timezones and few formats, so each is built once.
const formatters = new Map<string, Intl.DateTimeFormat>();
function formatter(kind: string, tz: string, make: () => Intl.DateTimeFormat): Intl.DateTimeFormat {
  const key = `${kind}|${tz}`;
  let f = formatters.get(key);
  if (!f) {
    f = make();
    formatters.set(key, f);
  }
  return f;
}

/** The offset of `tz` from UTC at `instant`, in minutes (e.g. 60 for Europe/London in summer). */
export function tzOffsetMinutes(instant: Date, tz: string): number {
  const parts = formatter(
    'parts',
    tz,
    () =>
      new Intl.DateTimeFormat('en-US', {
        timeZone: tz,
        hourCycle: 'h23',
        year: 'numeric',
        month: '2-digit',
        day: '2-digit',
        hour: '2-digit',
        minute: '2-digit',
        second: '2-digit',
      }),
  ).formatToParts(instant);
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value);
  const asUtc = Date.UTC(
    get('year'),
    get('month') - 1,
    get('day'),
    get('hour'),
    get('minute'),
    get('second'),
  );
  return Math.round((asUtc - Math.floor(instant.getTime() / 1000) * 1000) / 60_000);
}

/** The instant at which local midnight starts `date` (YYYY-MM-DD) in `tz`. */
export function startOfLocalDay(date: string, tz: string): Date {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const guess = Date.UTC(y, m - 1, d);
  // Two passes settle the offset even when the day starts next to a clock change.
  let instant = guess - tzOffsetMinutes(new Date(guess), tz) * 60_000;
  instant = guess - tzOffsetMinutes(new Date(instant), tz) * 60_000;
  return new Date(instant);
}

/** When an action due on `date` becomes overdue: the start of the next day in the team's timezone. */
export function overdueFrom(date: string, tz: string): Date {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const next = new Date(Date.UTC(y, m - 1, d + 1)).toISOString().slice(0, 10);
  return startOfLocalDay(next, tz);
}

/** The calendar date (YYYY-MM-DD) of `instant` in `tz`. */
export function localDate(instant: Date, tz: string): string {
  return new Intl.DateTimeFormat('en-CA', {
    timeZone: tz,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(instant);
}

/** A short local date-time for people, e.g. "Fri 27 Nov 10:00". */
export function formatLocal(instant: Date, tz: string): string {
  return formatter(
    'local',
    tz,
    () =>
      new Intl.DateTimeFormat('en-GB', {
        timeZone: tz,
        weekday: 'short',
        day: 'numeric',
        month: 'short',
        hour: '2-digit',
        minute: '2-digit',
        hourCycle: 'h23',
      }),
  )
    .format(instant)
    .replace(/,/g, '');
}

/** True when `text` is a real calendar date written YYYY-MM-DD. */
export function isCalendarDate(text: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text)) return false;
  const d = new Date(`${text}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === text;
}
