import { and, eq } from 'drizzle-orm';
import type { Database } from '../../db/client.ts';
import { type Role, staff, teams } from '../../db/schema/index.ts';

export type StaffRow = typeof staff.$inferSelect;
export type TeamRow = typeof teams.$inferSelect;

/** The staff member a Slack user id belongs to, if the directory knows them. */
export async function staffBySlackUser(db: Database, slackUserId: string): Promise<StaffRow | undefined> {
  const [row] = await db.select().from(staff).where(eq(staff.slackUserId, slackUserId));
  return row;
}

/** The staff member a Teams `aadObjectId` belongs to, if the directory knows them. */
export async function staffByAadObjectId(db: Database, aadObjectId: string): Promise<StaffRow | undefined> {
  const [row] = await db.select().from(staff).where(eq(staff.msteamsAadObjectId, aadObjectId));
  return row;
}

export async function staffByCode(db: Database, code: string): Promise<StaffRow | undefined> {
  const [row] = await db.select().from(staff).where(eq(staff.code, code));
  return row;
}

export async function teamByCode(db: Database, code: string): Promise<TeamRow | undefined> {
  const [row] = await db.select().from(teams).where(eq(teams.code, code));
  return row;
}

export async function teamStaff(db: Database, teamCode: string, role?: Role): Promise<StaffRow[]> {
  const where = role
    ? and(eq(staff.teamCode, teamCode), eq(staff.role, role), eq(staff.active, true))
    : and(eq(staff.teamCode, teamCode), eq(staff.active, true));
  return db.select().from(staff).where(where).orderBy(staff.name);
}

/** Managers oversee their own team's cases (SPEC 'Who may do what'). */
export function isManagerOf(person: StaffRow | undefined, teamCode: string): boolean {
  return Boolean(person?.active && person.role === 'manager' && person.teamCode === teamCode);
}
