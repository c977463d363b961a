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

export const deactivatedMessage =
  'Sorry, your access to oversight has ended: the directory says you have left. If that is a mistake, ask an admin to restore you.';

/**
 * Audits an attempt by someone the directory marks as having left (SPEC 'Directory': refused
 * everywhere) and returns the polite refusal to show them. `attempt` names what they tried.
 */
export async function auditDeactivated(db: Database, actor: Actor, attempt: string): Promise<string> {
  await audit(db, actor, {
    action: 'access.refused',
    subjectType: 'staff',
    subjectId: actor.staffCode ?? actor.surface,
    detail: { attempt, reason: 'deactivated' },
  });
  return deactivatedMessage;
}

/** As `auditDeactivated`, then throws the refusal (a `forbidden` error) for the edge to render. */
export async function refuseDeactivated(db: Database, actor: Actor, attempt: string): Promise<never> {
  throw forbidden(await auditDeactivated(db, actor, attempt));
}

export const notInDirectory =
  "Sorry, I don't know you yet: ask an admin to add you to the oversight directory (with your chat identity).";
