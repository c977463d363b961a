import { CronExpressionParser } from 'cron-parser';
import { and, eq, inArray } from 'drizzle-orm';
import type { Database } from '../../db/client.ts';
import { staff, teams } from '../../db/schema/index.ts';
import { retries } from '../../jobs/backoff.ts';
import { jobIds, type Queues } from '../../jobs/queues.ts';

/**
 * Each team's digest runs from a BullMQ job scheduler: a cron pattern of the team's digest time
 * and days, in the team's own timezone, so 08:30 stays 08:30 local across clock changes. Redis
 * only holds this derived schedule; the teams table is its source, and syncing rebuilds it.
 */

export type DigestSchedule = { pattern: string; tz: string };

/** cron counts days from Sunday = 0. */
const cronDays: Record<string, number> = { sun: 0, mon: 1, tue: 2, wed: 3, thu: 4, fri: 5, sat: 6 };

/** Cron (with seconds) for a digest time "HH:MM" on the given days, e.g. `0 30 8 * * 1-5`. */
export function digestCron(at: string, days: readonly string[]): string {
  const [hour, minute] = at.split(':').map(Number) as [number, number];
  const numbers = [...new Set(days.map((d) => cronDays[d]).filter((n) => n !== undefined))].sort(
    (a, b) => a - b,
  );
  return `0 ${minute} ${hour} * * ${ranges(numbers)}`;
}

/** The schedule of a team's digest. */
export function digestSchedule(team: {
  digestAt: string;
  digestDays: string[];
  timezone: string;
}): DigestSchedule {
  return { pattern: digestCron(team.digestAt, team.digestDays), tz: team.timezone };
}

/** The next `count` run times of a schedule after `from` (BullMQ has no such API; cron-parser does). */
export function nextDigestRuns(schedule: DigestSchedule, from: Date, count: number): Date[] {
  return CronExpressionParser.parse(schedule.pattern, { tz: schedule.tz, currentDate: from })
    .take(count)
    .map((d) => d.toDate());
}

export type SyncResult = { upserted: string[]; removed: string[]; unchanged: string[] };

/**
 * Makes the digest schedulers in Redis match the teams table: one per team with an active lead,
 * none for a team that is gone or has no lead. With `teamCodes`, only those teams are looked at
 * (after a directory load); without, every team, and schedulers of unknown teams are removed (the
 * reconciler). Unchanged schedulers are left alone, so a run due now is not disturbed.
 */
export async function syncDigestSchedulers(
  db: Database,
  queues: Pick<Queues, 'digest'>,
  teamCodes?: readonly string[],
): Promise<SyncResult> {
  const result: SyncResult = { upserted: [], removed: [], unchanged: [] };
  if (teamCodes && teamCodes.length === 0) return result;
  const rows = await db
    .select({
      code: teams.code,
      timezone: teams.timezone,
      digestAt: teams.digestAt,
      digestDays: teams.digestDays,
      lead: staff.code,
    })
    .from(teams)
    .leftJoin(staff, and(eq(staff.code, teams.leadCode), eq(staff.active, true)))
    .where(teamCodes ? inArray(teams.code, [...teamCodes]) : undefined);

  const existing = new Map((await queues.digest.getJobSchedulers(0, -1)).map((s) => [s.key, s] as const));
  const wanted = new Set<string>();
  for (const team of rows) {
    if (!team.lead) continue;
    const id = jobIds.digestScheduler(team.code);
    wanted.add(id);
    const schedule = digestSchedule(team);
    const current = existing.get(id);
    if (
      current?.pattern === schedule.pattern &&
      current.tz === schedule.tz &&
      current.template?.data?.teamCode === team.code
    ) {
      result.unchanged.push(team.code);
      continue;
    }
    await queues.digest.upsertJobScheduler(id, schedule, {
      name: 'digest',
      data: { teamCode: team.code },
      opts: retries.digest,
    });
    result.upserted.push(team.code);
  }

  // A scheduler is removed when its team was looked at and needs none, or (full sync) is unknown.
  const lookedAt = teamCodes ? new Set(teamCodes.map(jobIds.digestScheduler)) : undefined;
  for (const [id, scheduler] of existing) {
    if (wanted.has(id) || (lookedAt && !lookedAt.has(id))) continue;
    await queues.digest.removeJobScheduler(id);
    result.removed.push(scheduler.template?.data?.teamCode ?? id);
  }
  return result;
}

/** `[1,2,3,4,5]` → `1-5`; `[0,6]` → `0,6`. */
function ranges(numbers: number[]): string {
  const parts: string[] = [];
  for (let i = 0; i < numbers.length; ) {
    let j = i;
    while (j + 1 < numbers.length && numbers[j + 1] === numbers[j]! + 1) j++;
    parts.push(j - i >= 2 ? `${numbers[i]}-${numbers[j]}` : numbers.slice(i, j + 1).join(','));
    i = j + 1;
  }
  return parts.join(',');
}
