import { inArray } from 'drizzle-orm';
import { actions, oversightRequests } from '../../db/schema/index.ts';
import { batchSize } from './pending-rows.ts';
import type { ReconcileDeps } from './reconcile-deps.ts';

const timerJobId = /^(request|action)-([0-9a-f-]{36})-v(\d+)$/;

/**
 * Removes delayed timer jobs whose row has moved on (acknowledged, confirmed, reopened, or the step
 * already ran): each would only wake up, find a stale token and stop, but until then it holds
 * memory — for an action due in months, for months. Versions only grow, so a job older than its
 * row's version can never become current again. `live` holds the job ids just ensured from
 * Postgres; they are current, and need no second look.
 */
export async function pruneSuperseded(deps: ReconcileDeps, live: ReadonlySet<string>): Promise<number> {
  const delayedKey = deps.queues.timers.toKey('delayed');
  let pruned = 0;
  for (let start = 0; ; start += batchSize) {
    const ids = await deps.redis.zrange(delayedKey, String(start), String(start + batchSize - 1));
    if (ids.length === 0) break;
    const parsed = ids.flatMap((jobId) => {
      const m = live.has(jobId) ? null : timerJobId.exec(jobId);
      return m ? [{ jobId, subject: m[1] as 'request' | 'action', id: m[2]!, version: Number(m[3]) }] : [];
    });
    const current = new Map<string, { version: number; pending: boolean }>();
    for (const [subject, table] of [
      ['request', oversightRequests],
      ['action', actions],
    ] as const) {
      const wanted = parsed.filter((p) => p.subject === subject).map((p) => p.id);
      if (wanted.length === 0) continue;
      const rows = await deps.db
        .select({ id: table.id, version: table.version, nextDueAt: table.nextDueAt })
        .from(table as typeof actions)
        .where(inArray(table.id, wanted));
      for (const r of rows) current.set(r.id, { version: r.version, pending: r.nextDueAt !== null });
    }
    const superseded = parsed.filter((p) => {
      const row = current.get(p.id);
      return !row || row.version > p.version || (row.version === p.version && !row.pending);
    });
    const removed = await Promise.all(superseded.map((p) => deps.queues.timers.remove(p.jobId)));
    const n = removed.filter((r) => r === 1).length;
    pruned += n;
    // Removing shifts later members down: carry on from the same place.
    start -= n;
    if (ids.length < batchSize) break;
  }
  return pruned;
}
