import type { Database } from '../../db/client.ts';
import { auditLog } from '../../db/schema/index.ts';
import type { Actor } from '../context.ts';

export type AuditEntry = {
  action: string;
  subjectType: string;
  subjectId: string;
  crn?: string | null;
  detail?: Record<string, unknown>;
};

/** Appends audit rows in the caller's transaction, so a state change and its audit row commit together. */
export async function audit(db: Database, actor: Actor, ...entries: AuditEntry[]): Promise<void> {
  if (entries.length === 0) return;
  await db.insert(auditLog).values(
    entries.map((e) => ({
      actor: actor.staffCode ?? actor.surface,
      surface: actor.surface,
      action: e.action,
      subjectType: e.subjectType,
      subjectId: e.subjectId,
      crn: e.crn ?? null,
      detail: e.detail ?? null,
    })),
  );
}
