import { and, eq, inArray, type SQL, sql } from 'drizzle-orm';
import type { Database } from '../db/client.ts';
import {
  type ActionStatus,
  actions,
  cases,
  oversightRequests,
  type RequestStatus,
} from '../db/schema/index.ts';

/**
 * What people act on, read from the database the way they would see it in chat: a random live
 * notice or action in a given state. Read over the soak's direct connection.
 */

/** A random request in one of these states (of one team, if given). */
export async function pickRequest(
  db: Database,
  statuses: RequestStatus[],
  team?: string,
): Promise<{ id: string; teamCode: string; crn: string } | undefined> {
  const where: SQL | undefined = team
    ? and(inArray(oversightRequests.status, statuses), eq(oversightRequests.teamCode, team))
    : inArray(oversightRequests.status, statuses);
  const [row] = await db
    .select({ id: oversightRequests.id, teamCode: oversightRequests.teamCode, crn: oversightRequests.crn })
    .from(oversightRequests)
    .where(where)
    .orderBy(sql`random()`)
    .limit(1);
  return row;
}

/** A random action in this state. */
export async function pickAction(
  db: Database,
  status: ActionStatus,
): Promise<{ ref: string; teamCode: string; ownerCode: string } | undefined> {
  const [row] = await db
    .select({ ref: actions.ref, teamCode: actions.teamCode, ownerCode: actions.ownerCode })
    .from(actions)
    .where(eq(actions.status, status))
    .orderBy(sql`random()`)
    .limit(1);
  return row;
}

/** A random case of the team. */
export async function pickCase(db: Database, team: string): Promise<string | undefined> {
  const [row] = await db
    .select({ crn: cases.crn })
    .from(cases)
    .where(eq(cases.teamCode, team))
    .orderBy(sql`random()`)
    .limit(1);
  return row?.crn;
}
