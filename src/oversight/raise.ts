import { randomUUID } from 'node:crypto';
import { and, eq, ne } from 'drizzle-orm';
import { cases, oversightRequests } from '../../db/schema/index.ts';
import { caseWrite, type IngestPlan } from '../cases/plan.ts';
import { writePlan } from '../cases/write-ingest.ts';
import { conflict, notFound } from '../errors.ts';
import type { CaseState } from '../policy/index.ts';
import type { TxCtx } from '../unit-of-work.ts';

export type TriggerInput = {
  kind: 'event' | 'referral';
  caseEventId?: string;
  eventId?: string;
  type: string;
  category: string;
  rule: string;
  reason: string;
  policyVersion: string;
  by?: string;
  referralReason?: string;
};

export type RaiseResult = { requestId: string; opened: boolean };

/**
 * Opens an oversight request for a case, or adds the trigger to the one that is not yet closed:
 * a case has at most one live notice, and its timeline grows instead of a second notice being
 * posted. Written by the same statement that raises requests for case events (`writePlan`), so a
 * referral and an event are raised alike: request, trigger, notice delivery, audit row, the case
 * marked as raised risk, the first timer.
 */
export async function raiseRequest(ctx: TxCtx, crn: string, trigger: TriggerInput): Promise<RaiseResult> {
  for (let attempt = 1; attempt <= 3; attempt++) {
    // Locking the case row serialises every trigger for this case, so two triggers racing for the
    // same CRN cannot both decide "no live request" and open two (the partial unique index backs
    // this up).
    const [caseRow] = await ctx.db.select().from(cases).where(eq(cases.crn, crn)).for('update');
    if (!caseRow) throw notFound(`unknown case ${crn}`);
    const [live] = await ctx.db
      .select({ id: oversightRequests.id })
      .from(oversightRequests)
      .where(and(eq(oversightRequests.crn, crn), ne(oversightRequests.status, 'closed')));
    const requestId = live?.id ?? randomUUID();
    const plan = planRaise(crn, caseRow, { requestId, opened: !live }, trigger);
    // False only when the live request was closed meanwhile (closing does not lock the case):
    // read again, and open a new one.
    if (await writePlan(ctx.db, plan, { ...ctx, now: ctx.now() })) return { requestId, opened: !live };
  }
  throw conflict('The case changed while this was being raised; please try again.');
}

/** The plan of one trigger: the request opened or joined, its trigger, notice and audit row. */
function planRaise(
  crn: string,
  caseRow: typeof cases.$inferSelect,
  { requestId, opened }: RaiseResult,
  trigger: TriggerInput,
): IngestPlan {
  const state: CaseState = {
    service: caseRow.service,
    teamCode: caseRow.teamCode,
    caseManagerCode: caseRow.caseManagerCode,
    caseManagerGrade: caseRow.caseManagerGrade,
    rosh: caseRow.rosh,
    vulnerability: caseRow.vulnerability,
    flags: caseRow.flags,
    watchSince: caseRow.watchSince,
    watchReason: caseRow.watchReason,
  };
  const teamCode = caseRow.teamCode;
  return {
    results: [],
    accepted: [],
    // Opening marks the case as raised risk (the digest lists it); its state is written back as it is.
    cases: opened ? [caseWrite(crn, state, true)] : [],
    audit: [
      {
        action: opened ? 'request.opened' : 'request.trigger_added',
        subjectType: 'request',
        subjectId: requestId,
        crn,
        detail: {
          kind: trigger.kind,
          type: trigger.type,
          rule: trigger.rule,
          policyVersion: trigger.policyVersion,
        },
      },
    ],
    unused: [],
    after: new Map([[crn, state]]),
    raise: {
      opened: opened ? [{ id: requestId, crn, team_code: teamCode }] : [],
      joined: opened ? [] : [requestId],
      triggers: [
        {
          request_id: requestId,
          kind: trigger.kind,
          case_event_id: trigger.caseEventId ?? null,
          event_id: trigger.eventId ?? null,
          type: trigger.type,
          category: trigger.category,
          rule: trigger.rule,
          reason: trigger.reason,
          policy_version: trigger.policyVersion,
          by: trigger.by ?? null,
          referral_reason: trigger.referralReason ?? null,
        },
      ],
      notices: [{ request_id: requestId, team_code: teamCode, mode: opened ? 'post' : 'update' }],
    },
  };
}
