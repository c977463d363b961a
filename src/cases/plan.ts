import { randomUUID } from 'node:crypto';
import type { AuditEntry } from '../audit/index.ts';
import { type CaseState, type Evaluation, evaluate, type Policy } from '../policy/index.ts';
import { type CaseJson, caseJson, changedFields } from './case-rows.ts';
import { eventKey } from './event-rows.ts';
import type { CaseEventRequest } from './parse.ts';
import type { CasesRead } from './read-cases.ts';
import type { CaseEventResult } from './schemas.ts';

/** A case event row as the write statement takes it. */
export type EventJson = {
  id: string;
  source: string;
  event_id: string;
  crn: string;
  type: string;
  occurred_at: string;
  received_at: string;
  envelope: unknown;
  outcome: string;
  rule: string;
  reason: string;
  policy_version: string;
  /** The oversight request the event raised or joined (required events only). */
  request_id: string | null;
};

export type AcceptedEvent = { index: number; row: EventJson; evaluation: Evaluation };

/** A case row to write: its new state, and whether it now counts as raised risk. */
export type CaseWrite = CaseJson & { raise: boolean };

/** A trigger row: why a request was raised or joined. */
export type TriggerJson = {
  request_id: string;
  kind: 'event' | 'referral';
  case_event_id: string | null;
  event_id: string | null;
  type: string;
  category: string;
  rule: string;
  reason: string;
  policy_version: string;
  /** Referrals: who referred, and why (kept in the record, never shown in the channel). */
  by: string | null;
  referral_reason: string | null;
};

/**
 * The oversight requests a request's required events raise or join: a case keeps to one live
 * request, so a required event on a case that has one joins it (its timeline grows, its notice is
 * updated) and otherwise opens one (its notice is posted).
 */
export type RaisePlan = {
  opened: Array<{ id: string; crn: string; team_code: string }>;
  /** Live requests that gain triggers; each must still be live when written. */
  joined: string[];
  triggers: TriggerJson[];
  notices: Array<{ request_id: string; team_code: string; mode: 'post' | 'update' }>;
};

/** Everything a request will write, decided before anything is written. */
export type IngestPlan = {
  results: CaseEventResult[];
  accepted: AcceptedEvent[];
  /** New state of the cases that changed. */
  cases: CaseWrite[];
  audit: AuditEntry[];
  /** Cases the read created that no accepted event kept (all their events were duplicates). */
  unused: string[];
  raise: RaisePlan;
  /** Each case of the request as these events leave it. */
  after: Map<string, CaseState | undefined>;
};

/**
 * Decides every event of a request against the cases as read, in request order: events for the
 * same case each see the state the one before left. Events already stored, earlier or earlier in
 * this request, are duplicates and change nothing. Pure apart from the ids it draws.
 */
export function planIngest(
  { events, envelopes }: CaseEventRequest,
  read: CasesRead,
  policy: Policy,
  now: Date,
): IngestPlan {
  const states = new Map<string, CaseState | undefined>();
  for (const [crn, c] of read.cases) states.set(crn, c?.state);
  const results: CaseEventResult[] = [];
  const firstIndex = new Map<string, number>();
  const accepted: AcceptedEvent[] = [];
  const receivedAt = now.toISOString();

  events.forEach((event, index) => {
    const key = eventKey(event.source, event.id);
    const base = { index, id: event.id, source: event.source };
    const earlier = read.stored.get(key);
    if (earlier) {
      const { requestId, ...decided } = earlier;
      results.push({ ...base, status: 'duplicate', ...decided, ...(requestId ? { requestId } : {}) });
      return;
    }
    const seen = firstIndex.get(key);
    if (seen !== undefined) {
      // Shares the first occurrence's result; its request id is filled in once known.
      results.push({ ...results[seen]!, ...base, status: 'duplicate' });
      return;
    }
    firstIndex.set(key, index);
    const evaluation = evaluate(states.get(event.case.crn), event, policy);
    states.set(event.case.crn, evaluation.after);
    const row: EventJson = {
      id: randomUUID(),
      source: event.source,
      event_id: event.id,
      crn: event.case.crn,
      type: event.type,
      occurred_at: event.occurredAt,
      received_at: receivedAt,
      // Exactly as sent, free text included.
      envelope: envelopes[index],
      outcome: evaluation.outcome,
      rule: evaluation.rule,
      reason: evaluation.reason,
      policy_version: evaluation.policyVersion,
      request_id: null,
    };
    accepted.push({ index, row, evaluation });
    const { outcome, rule, reason, policyVersion } = evaluation;
    // Field by field, not `{ ...base, … }`: a spread followed by more properties is about a
    // hundred times slower in V8, and this runs for every event.
    results.push({
      index,
      id: event.id,
      source: event.source,
      status: 'accepted',
      outcome,
      rule,
      reason,
      policyVersion,
    });
  });

  const touched = new Set(accepted.map((a) => a.row.crn));
  const cases: CaseWrite[] = [];
  const audit: AuditEntry[] = [];
  const unused: string[] = [];
  for (const [crn, was] of read.cases) {
    const after = states.get(crn);
    if (!touched.has(crn) || !after) {
      if (was === undefined) unused.push(crn);
      continue;
    }
    const fields = changedFields(was?.state, after);
    if (was && fields.length === 0) continue;
    cases.push(caseWrite(crn, after, false));
    audit.push({
      action: was ? 'case.updated' : 'case.created',
      subjectType: 'case',
      subjectId: crn,
      crn,
      detail: {
        fields,
        rosh: after.rosh,
        vulnerability: after.vulnerability,
        watch: Boolean(after.watchSince),
      },
    });
  }
  for (const { row } of accepted) audit.push(receivedEntry(row));
  const raise = planRaises(accepted, read, states, results, cases, audit);
  return {
    results,
    accepted,
    cases,
    audit,
    unused,
    raise,
    after: states,
  };
}

/**
 * Raises or joins a request for every required event, in request order (SPEC 'Oversight
 * request'). Fills in each event's request id, adds the requests' audit rows, and marks a case
 * whose request is opened here as raised risk. One notice delivery per request: posted when opened
 * here, otherwise updated; either is rendered from the database after commit, so it shows every
 * trigger of the batch.
 */
function planRaises(
  accepted: AcceptedEvent[],
  read: CasesRead,
  states: Map<string, CaseState | undefined>,
  results: CaseEventResult[],
  cases: CaseWrite[],
  audit: AuditEntry[],
): RaisePlan {
  const plan: RaisePlan = { opened: [], joined: [], triggers: [], notices: [] };
  const requestOf = new Map<string, string>();
  for (const { index, row, evaluation } of accepted) {
    if (evaluation.outcome !== 'required') continue;
    const crn = row.crn;
    const teamCode = states.get(crn)!.teamCode;
    let requestId = requestOf.get(crn);
    let opened = false;
    if (!requestId) {
      const live = read.cases.get(crn)?.liveRequest;
      requestId = live ?? randomUUID();
      opened = !live;
      requestOf.set(crn, requestId);
      if (opened) plan.opened.push({ id: requestId, crn, team_code: teamCode });
      else plan.joined.push(requestId);
      plan.notices.push({ request_id: requestId, team_code: teamCode, mode: opened ? 'post' : 'update' });
      // Marked whatever the read said: the write keeps an earlier date (coalesce), and a record
      // clearing it meanwhile does not change the case's version.
      if (opened) markRaised(cases, crn, states.get(crn)!);
    }
    row.request_id = requestId;
    results[index]!.requestId = requestId;
    plan.triggers.push({
      request_id: requestId,
      kind: 'event',
      case_event_id: row.id,
      event_id: row.event_id,
      type: row.type,
      category: evaluation.category,
      rule: row.rule,
      reason: row.reason,
      policy_version: row.policy_version,
      by: null,
      referral_reason: null,
    });
    audit.push({
      action: opened ? 'request.opened' : 'request.trigger_added',
      subjectType: 'request',
      subjectId: requestId,
      crn,
      detail: { kind: 'event', type: row.type, rule: row.rule, policyVersion: row.policy_version },
    });
  }
  return plan;
}

export function caseWrite(crn: string, state: CaseState, raise: boolean): CaseWrite {
  const row = caseJson(crn, state) as CaseWrite;
  row.raise = raise;
  return row;
}

function markRaised(cases: CaseWrite[], crn: string, state: CaseState): void {
  const row = cases.find((c) => c.crn === crn);
  if (row) row.raise = true;
  else cases.push(caseWrite(crn, state, true));
}

/** Duplicates within the request answer with the request their first occurrence raised or joined. */
export function shareRequestIds(results: CaseEventResult[]): void {
  const byKey = new Map<string, string>();
  for (const r of results) {
    if (r.status === 'accepted' && r.requestId) byKey.set(eventKey(r.source, r.id), r.requestId);
  }
  for (const r of results) {
    const requestId = byKey.get(eventKey(r.source, r.id));
    if (r.status === 'duplicate' && !r.requestId && requestId) r.requestId = requestId;
  }
}

function receivedEntry(row: EventJson): AuditEntry {
  return {
    action: 'case_event.received',
    subjectType: 'case_event',
    subjectId: row.id,
    crn: row.crn,
    detail: {
      source: row.source,
      eventId: row.event_id,
      type: row.type,
      outcome: row.outcome,
      rule: row.rule,
      policyVersion: row.policy_version,
    },
  };
}
