import { sql } from 'drizzle-orm';
import type { Database } from '../db/client.ts';
import { sleep } from './free-port.ts';
import { rows } from './invariants/query.ts';

/**
 * Waits until every message queued before the load stopped has gone out (twice in a row), or
 * until `deadline`; answers how long it took, or null if it did not. Two kinds of queued message
 * do not count: those queued since (reminders keep coming while notices and actions stay open),
 * and those waiting out a retry backoff after failed attempts (a 500 storm can put one off for a
 * minute by design; the schedule checks show each still has its job).
 */
export async function untilQuiet(db: Database, stoppedAt: Date, deadline: number): Promise<number | null> {
  const started = Date.now();
  let quiet = 0;
  while (Date.now() < deadline) {
    quiet = (await backlog(db, stoppedAt, 'waiting')) === 0 ? quiet + 1 : 0;
    if (quiet >= 2) return Date.now() - started;
    await sleep(500);
  }
  return null;
}

/** Messages queued before `stoppedAt` still to go: waiting their turn, or retrying after failures. */
export async function backlog(db: Database, stoppedAt: Date, kind: 'waiting' | 'retrying'): Promise<number> {
  const [row] = await rows<{ n: number }>(
    db,
    sql`select count(*)::int as n from deliveries
        where status = 'queued' and created_at <= ${stoppedAt.toISOString()}::timestamptz
          and ${kind === 'waiting' ? sql`attempts = 0` : sql`attempts > 0`}`,
  );
  return row?.n ?? 0;
}

/** What is still queued, by platform and kind, with the oldest one's age: for the table when not quiet. */
export async function queuedSummary(db: Database): Promise<string> {
  const groups = await rows<{
    platform: string;
    kind: string;
    n: number;
    targets: number;
    notices: number;
    oldest: number;
  }>(
    db,
    sql`select platform, kind, count(*)::int as n, count(distinct target)::int as targets,
          count(distinct request_id)::int as notices,
          extract(epoch from now() - min(created_at))::int as oldest
        from deliveries where status = 'queued' group by platform, kind order by n desc`,
  );
  return groups
    .map(
      (g) =>
        `${g.platform} ${g.kind} ${g.n} to ${g.targets} (about ${g.notices} notices; oldest ${g.oldest} s)`,
    )
    .join('; ');
}
