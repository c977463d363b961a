import { asc, eq, inArray } from 'drizzle-orm';
import type { Database } from '../../db/client.ts';
import {
  actions,
  auditLog,
  cases,
  oversightRecords,
  oversightRequests,
  requestTriggers,
} from '../../db/schema/index.ts';
import { notFound } from '../errors.ts';

/** The case's oversight record in the SPEC's export shape, for integrations and people. */
export type CaseRecord = {
  crn: string;
  service: string;
  team: string;
  requests: Array<{
    id: string;
    status: string;
    openedAt: string;
    triggers: Array<{
      kind: string;
      eventId: string | null;
      type: string;
      rule: string;
      reason: string;
      policyVersion: string;
      by: string | null;
      referralReason: string | null;
      at: string;
    }>;
    acknowledgedBy: string | null;
    acknowledgedAt: string | null;
    closedAt: string | null;
    records: Array<{
      id: string;
      by: string;
      at: string;
      supersedes: string | null;
      assurances: (typeof oversightRecords.$inferSelect)['assurances'];
      deficits: string | null;
      rationale: string;
      variance: { procedure: string | null; reason: string | null };
      evidence: string[];
    }>;
    actions: Array<{
      id: string;
      ref: string;
      description: string;
      owner: string;
      due: string;
      status: string;
      doneEvidence: string | null;
      doneBy: string | null;
      doneAt: string | null;
      confirmedBy: string | null;
      confirmedAt: string | null;
      reason: string | null;
    }>;
  }>;
  audit: Array<{ at: string; actor: string; surface: string; action: string; subject: string }>;
};

const iso = (d: Date | null) => (d ? d.toISOString() : null);

/** Reads everything for one CRN, in order, with a handful of queries (never one per item). */
export async function buildCaseRecord(db: Database, crnInput: string): Promise<CaseRecord> {
  const crn = crnInput.trim().toUpperCase();
  const [caseRow] = await db.select().from(cases).where(eq(cases.crn, crn));
  if (!caseRow) throw notFound(`No oversight record for ${crn}: the case is unknown.`);
  const requests = await db
    .select()
    .from(oversightRequests)
    .where(eq(oversightRequests.crn, crn))
    .orderBy(asc(oversightRequests.openedAt));
  const ids = requests.map((r) => r.id);
  const [triggers, records, actionRows, auditRows] = await Promise.all([
    ids.length
      ? db
          .select()
          .from(requestTriggers)
          .where(inArray(requestTriggers.requestId, ids))
          .orderBy(asc(requestTriggers.at))
      : [],
    ids.length
      ? db
          .select()
          .from(oversightRecords)
          .where(inArray(oversightRecords.requestId, ids))
          .orderBy(asc(oversightRecords.at))
      : [],
    ids.length
      ? db
          .select()
          .from(actions)
          .where(inArray(actions.requestId, ids))
          .orderBy(asc(actions.createdAt), asc(actions.ref))
      : [],
    db.select().from(auditLog).where(eq(auditLog.crn, crn)).orderBy(asc(auditLog.id)),
  ]);
  return {
    crn,
    service: caseRow.service,
    team: caseRow.teamCode,
    requests: requests.map((r) => ({
      id: r.id,
      status: r.status,
      openedAt: r.openedAt.toISOString(),
      triggers: triggers
        .filter((t) => t.requestId === r.id)
        .map((t) => ({
          kind: t.kind,
          eventId: t.eventId,
          type: t.type,
          rule: t.rule,
          reason: t.reason,
          policyVersion: t.policyVersion,
          by: t.by,
          referralReason: t.referralReason,
          at: t.at.toISOString(),
        })),
      acknowledgedBy: r.acknowledgedBy,
      acknowledgedAt: iso(r.acknowledgedAt),
      closedAt: iso(r.closedAt),
      records: records
        .filter((x) => x.requestId === r.id)
        .map((x) => ({
          id: x.id,
          by: x.by,
          at: x.at.toISOString(),
          supersedes: x.supersedes,
          assurances: x.assurances,
          deficits: x.deficits,
          rationale: x.rationale,
          variance: { procedure: x.varianceProcedure, reason: x.varianceReason },
          evidence: x.evidence,
        })),
      actions: actionRows
        .filter((a) => a.requestId === r.id)
        .map((a) => ({
          id: a.id,
          ref: a.ref,
          description: a.description,
          owner: a.ownerCode,
          due: a.dueDate,
          status: a.status,
          doneEvidence: a.doneEvidence,
          doneBy: a.doneBy,
          doneAt: iso(a.doneAt),
          confirmedBy: a.confirmedBy,
          confirmedAt: iso(a.confirmedAt),
          reason: a.reason,
        })),
    })),
    audit: auditRows.map((a) => ({
      at: a.at.toISOString(),
      actor: a.actor,
      surface: a.surface,
      action: a.action,
      subject: `${a.subjectType}:${a.subjectId}`,
    })),
  };
}
