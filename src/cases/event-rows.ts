import { sql } from 'drizzle-orm';
import type { Database } from '../../db/client.ts';
import type { Outcome } from '../../db/schema/index.ts';
import { jsonb } from './sql-json.ts';

/** What an earlier request decided about an event, returned again for its duplicates. */
export type StoredOutcome = {
  outcome: Outcome;
  rule: string;
  reason: string;
  policyVersion: string;
  requestId: string | null;
};

/** `(source, id)` as one string, the identity of an event (SPEC: idempotent by source and id). */
export const eventKey = (source: string, id: string): string => `${source}\u0000${id}`;

/** Links events to the oversight request they raised or joined. */
export async function linkEventsToRequests(
  db: Database,
  links: Array<{ id: string; requestId: string }>,
): Promise<void> {
  if (links.length === 0) return;
  const rows = links.map((l) => ({ id: l.id, request_id: l.requestId }));
  await db.execute(sql`
    update case_events as e set request_id = v.request_id
    from jsonb_to_recordset(${jsonb(rows)}) as v(id uuid, request_id uuid)
    where e.id = v.id`);
}
