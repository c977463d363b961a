import { sql } from 'drizzle-orm';
import type { Database } from '../../db/client.ts';
import { jobIds, type Queues } from '../../jobs/queues.ts';
import type { Redis } from '../../src/redis.ts';
import { failedIds } from '../../src/reminders/ensure-jobs.ts';
import { type Check, check, sample } from './check.ts';
import { rows } from './query.ts';

/** Which of these job ids have a job in the queue that has not failed for good. */
async function missingJobs(
  redis: Redis,
  queue: Queues['timers'] | Queues['delivery'],
  ids: string[],
): Promise<string[]> {
  if (ids.length === 0) return [];
  const failed = await failedIds(redis, queue);
  const pipeline = redis.pipeline();
  for (const id of ids) pipeline.exists(queue.toKey(id));
  const results = (await pipeline.exec()) ?? [];
  return ids.filter((id, i) => Number(results[i]?.[1] ?? 0) === 0 || failed.has(id));
}

/**
 * The derived schedule matches Postgres (SPEC 'Sources of truth'): every live notice and action
 * has a next due time, every next due time its timer job (for the row's current version token),
 * and every queued delivery its delivery job — after Redis lost everything along the way.
 */
export async function scheduleChecks(db: Database, redis: Redis, queues: Queues): Promise<Check[]> {
  const timers = await rows<{
    subject: 'request' | 'action';
    id: string;
    version: number;
    live: boolean;
    due: boolean;
  }>(
    db,
    sql`select 'request' as subject, id, version, status = 'open' as live, next_due_at is not null as due
          from oversight_requests where status = 'open' or next_due_at is not null
        union all
        select 'action', id, version, status in ('open', 'done_claimed'), next_due_at is not null
          from actions where status in ('open', 'done_claimed') or next_due_at is not null`,
  );
  const undue = timers.filter((t) => t.live && !t.due);
  const scheduled = timers.filter((t) => t.due);
  const missingTimers = await missingJobs(
    redis,
    queues.timers,
    scheduled.map((t) => jobIds.timer({ subject: t.subject, id: t.id, version: t.version })),
  );
  const queued = await rows<{ id: string }>(db, sql`select id from deliveries where status = 'queued'`);
  const missingDeliveries = await missingJobs(
    redis,
    queues.delivery,
    queued.map((d) => jobIds.delivery(d.id)),
  );
  const failed = await rows<{ id: string; last_error: string | null }>(
    db,
    sql`select id, last_error from deliveries where status = 'failed'`,
  );
  const live = (s: 'request' | 'action') => timers.filter((t) => t.subject === s && t.live).length;
  return [
    check(
      'every open notice and action has a next due time in Postgres',
      undue.length === 0,
      `${live('request')} open notices, ${live('action')} open actions; ${undue.length} without${sample(undue.map((u) => u.id))}`,
    ),
    check(
      'every next due time has its job in Redis (current version)',
      missingTimers.length === 0,
      `${scheduled.length} timers in Postgres, ${missingTimers.length} missing or failed in Redis${sample(missingTimers)}`,
    ),
    check(
      'every queued delivery has its job in Redis',
      missingDeliveries.length === 0,
      `${queued.length} still queued, ${missingDeliveries.length} without a job${sample(missingDeliveries)}`,
    ),
    check(
      'no delivery failed for good (no message dropped)',
      failed.length === 0,
      `${failed.length} failed${sample(failed.map((f) => `${f.id} (${f.last_error})`))}`,
    ),
  ];
}
