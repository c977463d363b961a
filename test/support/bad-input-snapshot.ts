import { asc, like, not } from 'drizzle-orm';
import type { Database } from '../../db/client.ts';
import {
  actions,
  auditLog,
  caseEvents,
  cases,
  deliveries,
  oversightRecords,
  oversightRequests,
  requestTriggers,
} from '../../db/schema/index.ts';

/**
 * Everything a refused input must leave as it was: cases, their events, requests and triggers,
 * records, actions, queued messages, and the audit log except its `.refused` rows (a refusal is
 * audited on purpose). Rows in key order, so two snapshots compare with `toEqual`.
 */
export async function snapshot(db: Database) {
  return {
    cases: await db.select().from(cases).orderBy(asc(cases.crn)),
    caseEvents: await db.select().from(caseEvents).orderBy(asc(caseEvents.id)),
    requests: await db.select().from(oversightRequests).orderBy(asc(oversightRequests.id)),
    triggers: await db.select().from(requestTriggers).orderBy(asc(requestTriggers.id)),
    records: await db.select().from(oversightRecords).orderBy(asc(oversightRecords.id)),
    actions: await db.select().from(actions).orderBy(asc(actions.id)),
    deliveries: await db.select().from(deliveries).orderBy(asc(deliveries.id)),
    audit: await db
      .select()
      .from(auditLog)
      .where(not(like(auditLog.action, '%.refused')))
      .orderBy(asc(auditLog.id)),
  };
}

/** What `snapshot` returns. */
export type Snapshot = Awaited<ReturnType<typeof snapshot>>;
