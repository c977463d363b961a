import { randomUUID } from 'node:crypto';
import type { AuditEntry } from '../audit/index.ts';
import { type CaseState, type Evaluation, evaluate, type Policy } from '../policy/index.ts';
import { type CaseJson, caseJson, changedFields } from './case-rows.ts';
import { eventKey } from './event-rows.ts';
import type { CaseEventRequest } from './parse.ts';
import type { CasesRead } from './read-cases.ts';
import type { CaseEventResult } from './schemas.ts';
import type { EventJson } from './write-ingest.ts';

export type AcceptedEvent = { index: number; row: EventJson; evaluation: Evaluation };

/** Everything a request will write, decided before anything is written. */
export type IngestPlan = {
  results: CaseEventResult[];
  accepted: AcceptedEvent[];
  /** New state of the cases that changed. */
  cases: CaseJson[];
  audit: AuditEntry[];
  /** Cases the read created that no accepted event kept (all their events were duplicates). */
  unused: string[];
  /** Whether any event needs the manager's oversight (a request raised or joined). */
  required: boolean;
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
      received_at: now.toISOString(),
      // Exactly as sent, free text included.
      envelope: envelopes[index],
      outcome: evaluation.outcome,
      rule: evaluation.rule,
      reason: evaluation.reason,
      policy_version: evaluation.policyVersion,
    };
    accepted.push({ index, row, evaluation });
    const { outcome, rule, reason, policyVersion } = evaluation;
    results.push({ ...base, status: 'accepted', outcome, rule, reason, policyVersion });
  });

  const touched = new Set(accepted.map((a) => a.row.crn));
  const cases: CaseJson[] = [];
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
    cases.push(caseJson(crn, after));
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
  return {
    results,
    accepted,
    cases,
    audit,
    unused,
    required: accepted.some((a) => a.evaluation.outcome === 'required'),
  };
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
