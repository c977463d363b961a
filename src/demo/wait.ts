import { and, eq, inArray, sql } from 'drizzle-orm';
import type { Database } from '../../db/client.ts';
import { deliveries } from '../../db/schema/index.ts';

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Waits until every queued chat message has been sent (or failed), so the narration stays in order. */
export async function settled(db: Database, timeoutMs = 20_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    const [row] = await db
      .select({ n: sql<number>`count(*)::int` })
      .from(deliveries)
      .where(eq(deliveries.status, 'queued'));
    if ((row?.n ?? 0) === 0) return;
    await pause(100);
  }
  throw new Error('messages were still waiting to be sent after 20 s; is the worker running?');
}

/** Waits for a sent message about a request, of the given kind ('thread.reply' or 'direct'). */
export async function sentAbout(
  db: Database,
  where: { requestId?: string; actionId?: string; kinds: string[]; messageKind: string },
  timeoutMs = 30_000,
): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    const rows = await db
      .select({ payload: deliveries.payload })
      .from(deliveries)
      .where(
        and(
          inArray(deliveries.kind, where.kinds),
          eq(deliveries.status, 'sent'),
          where.requestId ? eq(deliveries.requestId, where.requestId) : undefined,
          where.actionId ? eq(deliveries.actionId, where.actionId) : undefined,
        ),
      );
    if (rows.some((r) => (r.payload as { kind?: string }).kind === where.messageKind)) return;
    await pause(150);
  }
  throw new Error(`no ${where.messageKind} was sent within ${timeoutMs / 1000} s`);
}
