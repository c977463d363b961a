import { actions, oversightRequests } from '../../db/schema/index.ts';
import { ensureJobs, failedIds, pooled, type QueueReport } from './ensure-jobs.ts';
import { deliveryJob, timerJob } from './jobs.ts';
import { queuedDeliveries, timerRows } from './pending-rows.ts';
import { pruneSuperseded } from './prune.ts';
import type { ReconcileDeps } from './reconcile-deps.ts';

/**
 * Rebuilds the derived schedule in Redis from Postgres (SPEC 'Sources of truth'): every request
 * and action with a next due time gets its timer job, every queued delivery its delivery job.
 * Deterministic job ids make it idempotent, so it runs safely beside live workers and in several
 * workers at once: a job that exists is left alone, a missing one is added, one that failed for
 * good is retried, and delayed jobs of superseded versions are removed.
 */

export type { ReconcileDeps };

/** Optional parts of the schedule owned by other modules. */
export type ReconcileHooks = {
  /** Upserts every team's digest job scheduler; returns how many it (re)created. */
  syncDigestSchedules?: () => Promise<number>;
};

export type { QueueReport };
export type ReconcileReport = {
  timers: QueueReport;
  /** Delayed timer jobs for superseded versions, removed (they would have done nothing). */
  pruned: number;
  deliveries: QueueReport;
  /** Digest schedulers restored, or null when no digest module is wired in. */
  digests: number | null;
  ms: number;
};

/** Batches in flight at once (see `pooled`). */
const inFlight = 3;

/** Re-creates every missing job; reports how many it restored. */
export async function reconcile(deps: ReconcileDeps, hooks: ReconcileHooks = {}): Promise<ReconcileReport> {
  const started = performance.now();
  const timers = emptyReport();
  const failedTimers = await failedIds(deps.redis, deps.queues.timers);
  const live = new Set<string>();
  for (const [subject, table] of [
    ['request', oversightRequests],
    ['action', actions],
  ] as const) {
    await pooled(timerRows(deps.db, table), inFlight, async (rows) => {
      const now = deps.now();
      const specs = rows.map((r) => timerJob({ subject, id: r.id, version: r.version }, r.nextDueAt, now));
      for (const s of specs) live.add(s.opts.jobId);
      add(timers, await ensureJobs(deps.redis, deps.queues.timers, specs, failedTimers));
    });
  }
  const pruned = await pruneSuperseded(deps, live);
  const queued = emptyReport();
  const failedDeliveries = await failedIds(deps.redis, deps.queues.delivery);
  await pooled(queuedDeliveries(deps.db), inFlight, async (ids) => {
    add(queued, await ensureJobs(deps.redis, deps.queues.delivery, ids.map(deliveryJob), failedDeliveries));
  });
  const digests = hooks.syncDigestSchedules ? await hooks.syncDigestSchedules() : null;
  return { timers, pruned, deliveries: queued, digests, ms: Math.round(performance.now() - started) };
}

/** One line for people (the CLI, logs): counts only. */
export function describeReport(r: ReconcileReport): string {
  const q = (what: string, x: QueueReport) =>
    `${what}: ${x.restored} restored, ${x.retried} retried, ${x.expected - x.restored - x.retried} already scheduled`;
  const digest = r.digests === null ? 'digests: not wired' : `digests: ${r.digests} schedules restored`;
  return `${q('timers', r.timers)}, ${r.pruned} superseded removed; ${q('deliveries', r.deliveries)}; ${digest} (${r.ms} ms)`;
}

/** The total restored or retried (timers, deliveries, digest schedules), for a one-number answer. */
export function restoredTotal(r: ReconcileReport): number {
  return (
    r.timers.restored + r.timers.retried + r.deliveries.restored + r.deliveries.retried + (r.digests ?? 0)
  );
}

const emptyReport = (): QueueReport => ({ expected: 0, restored: 0, retried: 0 });
function add(into: QueueReport, x: QueueReport): void {
  into.expected += x.expected;
  into.restored += x.restored;
  into.retried += x.retried;
}
