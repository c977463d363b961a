import { and, eq } from 'drizzle-orm';
import type { Database } from '../db/client.ts';
import { staff } from '../db/schema/index.ts';
import { audit } from './audit/index.ts';
import type { Actor } from './context.ts';
import type { StaffRow } from './directory/index.ts';
import { forbidden } from './errors.ts';

/** The directory entry of the person acting, if any (integrations and the system have none). */
export async function actingStaff(db: Database, actor: Actor): Promise<StaffRow | undefined> {
  if (!actor.staffCode) return undefined;
  const [row] = await db
    .select()
    .from(staff)
    .where(and(eq(staff.code, actor.staffCode), eq(staff.active, true)));
  return row;
}

/**
 * Refuses an attempt politely and audits it. The audit row is written on its own (not in the
 * transaction the refusal aborts), so the attempt stays on the record.
 */
export async function refuse(
  db: Database,
  actor: Actor,
  attempt: { action: string; subjectType: string; subjectId: string; crn?: string | null },
  message: string,
): Promise<never> {
  await audit(db, actor, {
    action: `${attempt.action}.refused`,
    subjectType: attempt.subjectType,
    subjectId: attempt.subjectId,
    crn: attempt.crn ?? null,
    detail: { role: actor.staffCode ? 'staff' : 'unknown' },
  });
  throw forbidden(message);
}

export const managerOnly = (what: string) =>
  `Sorry, only a manager of this case's team can ${what}. If you think this needs a manager, use Escalate or ask your SPO.`;

export const notInDirectory =
  "Sorry, I don't know you yet: ask an admin to add you to the oversight directory (with your chat identity).";
