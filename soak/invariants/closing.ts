import { sql } from 'drizzle-orm';
import type { Database } from '../../db/client.ts';
import { type Check, check, sample } from './check.ts';
import { rows } from './query.ts';

/**
 * A request closes when, and only when, every one of its remedial actions is confirmed or
 * cancelled (SPEC 'Domain'): none is closed with an action still being chased, and none with
 * actions, all settled, is left open to be chased for nothing.
 */
export async function closingChecks(db: Database): Promise<Check[]> {
  const wrong = await rows<{ id: string; status: string; live: number; settled: number }>(
    db,
    sql`select r.id::text, r.status,
          count(*) filter (where a.status in ('open', 'done_claimed'))::int as live,
          count(*) filter (where a.status in ('confirmed', 'cancelled'))::int as settled
        from oversight_requests r join actions a on a.request_id = r.id
        group by r.id, r.status
        having (r.status = 'closed' and count(*) filter (where a.status in ('open', 'done_claimed')) > 0)
            or (r.status <> 'closed' and count(*) filter (where a.status in ('open', 'done_claimed')) = 0)`,
  );
  const [{ n } = { n: 0 }] = await rows<{ n: number }>(
    db,
    sql`select count(distinct request_id)::int as n from actions`,
  );
  return [
    check(
      'a request closes exactly when all its actions are settled',
      wrong.length === 0,
      `${n} requests with actions; ${wrong.length} wrong${sample(
        wrong.map((w) => `${w.id} ${w.status} with ${w.live} live, ${w.settled} settled`),
        2,
      )}`,
    ),
  ];
}
