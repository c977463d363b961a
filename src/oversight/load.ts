import { and, eq, ne } from 'drizzle-orm';
import type { Database } from '../../db/client.ts';
import { cases, oversightRequests } from '../../db/schema/index.ts';
import { notFound } from '../errors.ts';

export type RequestRow = typeof oversightRequests.$inferSelect;
export type CaseRow = typeof cases.$inferSelect;

/** A request by id, or a not-found error a person can read. */
export async function requestById(db: Database, id: string): Promise<RequestRow> {
  // Only a well-formed UUID is looked up: anything else (36 dashes, say) would make Postgres fail.
  const [row] = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id)
    ? await db.select().from(oversightRequests).where(eq(oversightRequests.id, id))
    : [];
  if (!row) throw notFound('That oversight notice no longer exists.');
  return row;
}

/** The case of a CRN, if known. */
export async function caseByCrn(db: Database, crn: string): Promise<CaseRow | undefined> {
  const [row] = await db.select().from(cases).where(eq(cases.crn, crn));
  return row;
}

/** The case's request that is not closed (there is at most one), if any. */
export async function liveRequestForCrn(db: Database, crn: string): Promise<RequestRow | undefined> {
  const [row] = await db
    .select()
    .from(oversightRequests)
    .where(and(eq(oversightRequests.crn, crn), ne(oversightRequests.status, 'closed')));
  return row;
}
