import type { Queue } from 'bullmq';
import type { Redis } from '../redis.ts';
import type { JobSpec } from './jobs.ts';

export type QueueReport = { expected: number; restored: number; retried: number };

const addChunk = 1000;

/** Ids in a queue's failed set; bounded (the queues keep at most 1,000 failed jobs), so read whole. */
export async function failedIds(redis: Redis, queue: Pick<Queue, 'toKey'>): Promise<Set<string>> {
  return new Set(await redis.zrange(queue.toKey('failed'), '0', '-1'));
}

/**
 * Adds the jobs that are missing and retries those that failed for good (their retries used up
 * while Postgres or Redis was down). One pipelined EXISTS per job finds which are there, so a run
 * over 100,000 scheduled jobs costs little more than reading them from Postgres.
 */
export async function ensureJobs<T>(
  redis: Redis,
  queue: Queue<T>,
  specs: JobSpec<T>[],
  failed: ReadonlySet<string>,
): Promise<QueueReport> {
  const report = { expected: specs.length, restored: 0, retried: 0 };
  if (specs.length === 0) return report;
  const pipeline = redis.pipeline();
  for (const s of specs) pipeline.exists(queue.toKey(s.opts.jobId));
  const results = (await pipeline.exec()) ?? [];
  const missing: JobSpec<T>[] = [];
  const retry: string[] = [];
  specs.forEach((s, i) => {
    const [error, exists] = results[i] ?? [null, 0];
    if (error) throw error;
    if (Number(exists) === 0) missing.push(s);
    else if (failed.has(s.opts.jobId)) retry.push(s.opts.jobId);
  });
  for (let i = 0; i < missing.length; i += addChunk) {
    // addBulk's typing wants the queue's name type; the specs carry the same shape.
    await queue.addBulk(missing.slice(i, i + addChunk) as Parameters<Queue<T>['addBulk']>[0]);
  }
  for (const id of retry) {
    const job = await queue.getJob(id);
    await job?.retry('failed');
  }
  report.restored = missing.length;
  report.retried = retry.length;
  return report;
}

/**
 * Runs `fn` over the batches with up to `limit` in flight, so reading the next batch from Postgres
 * and serialising its jobs overlap with Redis running the previous one's scripts.
 */
export async function pooled<T>(source: AsyncIterable<T>, limit: number, fn: (item: T) => Promise<void>) {
  const running = new Set<Promise<void>>();
  let failure: unknown = null;
  for await (const item of source) {
    const p: Promise<void> = fn(item)
      .catch((error) => {
        failure ??= error;
      })
      .finally(() => running.delete(p));
    running.add(p);
    if (running.size >= limit) await Promise.race(running);
    if (failure) break;
  }
  await Promise.all(running);
  if (failure) throw failure;
}
