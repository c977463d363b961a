import { asc, desc, eq, inArray } from 'drizzle-orm';
import type { Database } from '../../db/client.ts';
import { actions, cases, oversightRecords, requestTriggers, staff, teams } from '../../db/schema/index.ts';
import type { NoticeView, PersonRef } from '../chat/views.ts';
import { requestById } from './load.ts';

type StaffRow = typeof staff.$inferSelect;

const person = (code: string | null, known: Map<string, StaffRow>): PersonRef | null => {
  if (!code) return null;
  const row = known.get(code);
  return {
    code,
    name: row?.name ?? code,
    slackUserId: row?.slackUserId ?? null,
    msteamsAadObjectId: row?.msteamsAadObjectId ?? null,
  };
};

/**
 * The notice as it should look now, read from the database: chat messages are views of the
 * record, re-rendered after every change, never the record itself.
 */
export async function buildNoticeView(
  db: Database,
  requestId: string,
  now = new Date(),
): Promise<NoticeView> {
  const request = await requestById(db, requestId);
  const [[caseRow], [team], triggers, actionRows] = await Promise.all([
    db.select().from(cases).where(eq(cases.crn, request.crn)),
    db.select().from(teams).where(eq(teams.code, request.teamCode)),
    db
      .select()
      .from(requestTriggers)
      .where(eq(requestTriggers.requestId, request.id))
      .orderBy(asc(requestTriggers.at)),
    db.select().from(actions).where(eq(actions.requestId, request.id)).orderBy(asc(actions.createdAt)),
  ]);
  const recordBy = request.recordedAt ? await lastRecorder(db, request.id) : null;
  const codes = [
    caseRow?.caseManagerCode,
    request.acknowledgedBy,
    recordBy,
    ...actionRows.map((a) => a.ownerCode),
  ].filter((c): c is string => Boolean(c));
  const known = new Map(
    (codes.length ? await db.select().from(staff).where(inArray(staff.code, codes)) : []).map((s) => [
      s.code,
      s,
    ]),
  );
  return {
    requestId: request.id,
    crn: request.crn,
    service: caseRow!.service,
    teamCode: request.teamCode,
    timezone: team?.timezone ?? 'Europe/London',
    rosh: caseRow?.rosh ?? null,
    vulnerability: caseRow?.vulnerability ?? null,
    status: request.status,
    triggers: triggers.map((t) => ({
      category: t.category,
      rule: t.rule,
      reason: t.reason,
      policyVersion: t.policyVersion,
      at: t.at,
    })),
    caseManager: person(caseRow?.caseManagerCode ?? null, known),
    openedAt: request.openedAt,
    acknowledgeBy: request.acknowledgeBy,
    acknowledged:
      request.acknowledgedBy && request.acknowledgedAt
        ? { by: person(request.acknowledgedBy, known)!, at: request.acknowledgedAt }
        : null,
    recorded:
      recordBy && request.recordedAt ? { by: person(recordBy, known)!, at: request.recordedAt } : null,
    actions: actionRows.map((a) => ({
      ref: a.ref,
      status: a.status,
      owner: person(a.ownerCode, known)!,
      dueDate: a.dueDate,
      overdue: (a.status === 'open' || a.status === 'done_claimed') && a.overdueFrom <= now,
    })),
    closedAt: request.closedAt,
  };
}

async function lastRecorder(db: Database, requestId: string): Promise<string | null> {
  const [latest] = await db
    .select({ by: oversightRecords.by })
    .from(oversightRecords)
    .where(eq(oversightRecords.requestId, requestId))
    .orderBy(desc(oversightRecords.at))
    .limit(1);
  return latest?.by ?? null;
}
