import { and, asc, eq, inArray, ne } from 'drizzle-orm';
import {
  type ActionStatus,
  actions,
  type Level,
  oversightRequests,
  type RequestStatus,
  requestTriggers,
  type Service,
  staff,
  teams,
} from '../../db/schema/index.ts';
import type { Actor } from '../context.ts';
import { invalid, notFound } from '../errors.ts';
import { actingStaff, notInDirectory, refuse } from '../permissions.ts';
import type { Deps } from '../unit-of-work.ts';
import { caseByCrn } from './load.ts';
import { crnPattern, normaliseCrn } from './refer.ts';

/**
 * A case as its team's staff see it: the live request with every trigger (including referral
 * reasons) and every action. It carries free text, so it is only ever shown to staff of the team.
 */
export type CaseStatus = {
  crn: string;
  service: Service;
  teamCode: string;
  timezone: string;
  rosh: Level | null;
  vulnerability: Level | null;
  caseManager: string | null;
  lastRecordAt: Date | null;
  request: {
    id: string;
    status: RequestStatus;
    openedAt: Date;
    acknowledgeBy: Date;
    acknowledged: { by: string; at: Date } | null;
    recordedAt: Date | null;
    triggers: Array<{
      kind: 'event' | 'referral';
      category: string;
      rule: string;
      reason: string;
      policyVersion: string;
      at: Date;
      by: string | null;
      referralReason: string | null;
    }>;
    actions: Array<{
      ref: string;
      description: string;
      owner: string;
      dueDate: string;
      status: ActionStatus;
      overdue: boolean;
    }>;
  } | null;
};

/** The case's live request, its triggers, actions and their states; only staff of the case's team may see it. */
export async function caseStatus(deps: Deps, actor: Actor, input: { crn: string }): Promise<CaseStatus> {
  const crn = normaliseCrn(input.crn);
  if (!crnPattern.test(crn)) {
    throw invalid(`${crn || 'That'} is not a CRN: a CRN is a letter and six digits, e.g. X123456.`, [
      { path: 'crn', message: 'must be a letter and six digits' },
    ]);
  }
  const attempt = { action: 'case.status', subjectType: 'case', subjectId: crn, crn };
  const person = await actingStaff(deps.db, actor);
  if (!person) throw await refuse(deps.db, actor, attempt, notInDirectory);
  const caseRow = await caseByCrn(deps.db, crn);
  if (!caseRow) throw notFound(`I don't know case ${crn}. Check the CRN; cases come from case events.`);
  // Admins load the directory; they hold no cases, so they see no case detail (data minimisation).
  if (person.teamCode !== caseRow.teamCode || person.role === 'admin') {
    throw await refuse(
      deps.db,
      actor,
      attempt,
      `Sorry, ${crn} belongs to team ${caseRow.teamCode}; only its staff can see its status.`,
    );
  }

  const [[team], [request]] = await Promise.all([
    deps.db.select({ timezone: teams.timezone }).from(teams).where(eq(teams.code, caseRow.teamCode)),
    deps.db
      .select()
      .from(oversightRequests)
      .where(and(eq(oversightRequests.crn, crn), ne(oversightRequests.status, 'closed'))),
  ]);
  const [triggers, actionRows] = request
    ? await Promise.all([
        deps.db
          .select()
          .from(requestTriggers)
          .where(eq(requestTriggers.requestId, request.id))
          .orderBy(asc(requestTriggers.at)),
        deps.db
          .select()
          .from(actions)
          .where(eq(actions.requestId, request.id))
          .orderBy(asc(actions.createdAt), asc(actions.ref)),
      ])
    : [[], []];
  const names = await staffNames(deps, [
    caseRow.caseManagerCode,
    request?.acknowledgedBy,
    ...triggers.map((t) => t.by),
    ...actionRows.map((a) => a.ownerCode),
  ]);
  const name = (code: string) => names.get(code) ?? code;
  const now = deps.now();

  return {
    crn,
    service: caseRow.service,
    teamCode: caseRow.teamCode,
    timezone: team?.timezone ?? 'Europe/London',
    rosh: caseRow.rosh,
    vulnerability: caseRow.vulnerability,
    caseManager: caseRow.caseManagerCode ? name(caseRow.caseManagerCode) : null,
    lastRecordAt: caseRow.lastRecordAt,
    request: request
      ? {
          id: request.id,
          status: request.status,
          openedAt: request.openedAt,
          acknowledgeBy: request.acknowledgeBy,
          acknowledged:
            request.acknowledgedBy && request.acknowledgedAt
              ? { by: name(request.acknowledgedBy), at: request.acknowledgedAt }
              : null,
          recordedAt: request.recordedAt,
          triggers: triggers.map((t) => ({
            kind: t.kind,
            category: t.category,
            rule: t.rule,
            reason: t.reason,
            policyVersion: t.policyVersion,
            at: t.at,
            by: t.by ? name(t.by) : null,
            referralReason: t.referralReason,
          })),
          actions: actionRows.map((a) => ({
            ref: a.ref,
            description: a.description,
            owner: name(a.ownerCode),
            dueDate: a.dueDate,
            status: a.status,
            overdue: (a.status === 'open' || a.status === 'done_claimed') && a.overdueFrom <= now,
          })),
        }
      : null,
  };
}

/** Staff names by code, in one query (never one per trigger or action). */
async function staffNames(deps: Deps, codes: Array<string | null | undefined>): Promise<Map<string, string>> {
  const wanted = [...new Set(codes.filter((c): c is string => Boolean(c)))];
  if (wanted.length === 0) return new Map();
  const rows = await deps.db
    .select({ code: staff.code, name: staff.name })
    .from(staff)
    .where(inArray(staff.code, wanted));
  return new Map(rows.map((r) => [r.code, r.name]));
}
