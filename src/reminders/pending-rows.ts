import { and, asc, eq, gt, isNotNull, type SQL } from 'drizzle-orm';
import type { Database } from '../../db/client.ts';
import { type actions, deliveries, type oversightRequests } from '../../db/schema/index.ts';

/** Rows are read this many at a time, in id order (keyset pagination: no long transaction, no OFFSET). */
export const batchSize = 5000;

export type TimerRow = { id: string; version: number; nextDueAt: Date };

/** Requests or actions with a pending timer. */
export async function* timerRows(
  db: Database,
  table: typeof oversightRequests | typeof actions,
): AsyncGenerator<TimerRow[]> {
  let after: string | null = null;
  for (;;) {
    const where: SQL | undefined = after
      ? and(isNotNull(table.nextDueAt), gt(table.id, after))
      : isNotNull(table.nextDueAt);
    const rows = (await db
      .select({ id: table.id, version: table.version, nextDueAt: table.nextDueAt })
      .from(table as typeof actions)
      .where(where)
      .orderBy(asc(table.id))
      .limit(batchSize)) as TimerRow[];
    if (rows.length === 0) return;
    yield rows;
    after = rows[rows.length - 1]!.id;
    if (rows.length < batchSize) return;
  }
}

/** Ids of deliveries still to be sent. */
export async function* queuedDeliveries(db: Database): AsyncGenerator<string[]> {
  let after: string | null = null;
  for (;;) {
    const queued = eq(deliveries.status, 'queued');
    const rows = await db
      .select({ id: deliveries.id })
      .from(deliveries)
      .where(after ? and(queued, gt(deliveries.id, after)) : queued)
      .orderBy(asc(deliveries.id))
      .limit(batchSize);
    if (rows.length === 0) return;
    yield rows.map((r) => r.id);
    after = rows[rows.length - 1]!.id;
    if (rows.length < batchSize) return;
  }
}
