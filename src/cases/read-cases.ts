import type { Database } from '../../db/client.ts';
import { queryPrepared } from '../../db/prepared.ts';
import type { CaseState } from '../policy/index.ts';
import { type CaseJson, caseState } from './case-rows.ts';
import { eventKey, type StoredOutcome } from './event-rows.ts';
import type { CaseRef } from './schemas.ts';

/** A case as this request found it. */
export type CaseRead = {
  state: CaseState;
  version: number;
  /** The case's oversight request that is not closed, if any: a required event joins it. */
  liveRequest: string | null;
};

export type CasesRead = {
  /** Each case as it was before this request; undefined when this request created it. */
  cases: Map<string, CaseRead | undefined>;
  /** Cases not in the database (peek), or created by this read (lock). */
  missing: Set<string>;
  /** Events of this request already stored, by `eventKey`, with the outcome they were given then. */
  stored: Map<string, StoredOutcome>;
};

/** Thrown when a case another request was creating at the same moment is not yet visible; retried. */
export class CaseRaceError extends Error {
  readonly code = '40001';
}

const readStatement = (mode: 'lock' | 'peek') => `
  with input as (
    select * from jsonb_to_recordset($1::text::jsonb)
      as v(crn text, service text, team_code text, case_manager_code text)
  ), created as (
    ${
      mode === 'lock'
        ? `insert into cases (crn, service, team_code, case_manager_code)
           select crn, service, team_code, case_manager_code from input order by crn
           on conflict (crn) do nothing
           returning crn`
        : 'select null::text as crn where false'
    }
  ), current as (
    select c.crn, c.service, c.team_code, c.case_manager_code, c.case_manager_grade, c.rosh,
           c.vulnerability, c.flags, c.watch_since, c.watch_reason, c.version,
           (select r.id from oversight_requests r
             where r.crn = c.crn and r.status <> 'closed') as live_request
    from cases c where c.crn in (select crn from input) order by c.crn
    ${mode === 'lock' ? 'for update of c' : ''}
  ), stored as (
    select e.source, e.event_id, e.outcome, e.rule, e.reason, e.policy_version, e.request_id
    from case_events e
    join jsonb_to_recordset($2::text::jsonb) as k(source text, id text)
      on e.source = k.source and e.event_id = k.id
  )
  select
    (select coalesce(json_agg(crn), '[]') from created) as created,
    (select coalesce(json_agg(current), '[]') from current) as current,
    (select coalesce(json_agg(stored), '[]') from stored) as stored`;

/** Fixed texts, so each runs as one prepared statement per connection. */
const statements = { lock: readStatement('lock'), peek: readStatement('peek') };

/**
 * One round trip for the whole request: the state of every case it names (with its live oversight
 * request), and which of its events are already stored. `lock` also creates the cases not yet
 * known and locks them all for the transaction, serialising requests that touch the same case
 * (each reads, evaluates and writes back its state); CRN order means two batches take their locks
 * in the same order and cannot deadlock. `peek` only reads: the optimistic path checks the versions
 * again when it writes.
 */
export async function readCases(
  db: Database,
  refs: CaseRef[],
  keys: Array<{ source: string; id: string }>,
  mode: 'lock' | 'peek',
): Promise<CasesRead> {
  const first = new Map<string, CaseRef>();
  for (const ref of refs) if (!first.has(ref.crn)) first.set(ref.crn, ref);
  const input = [...first.values()].map((r) => ({
    crn: r.crn,
    service: r.service,
    team_code: r.team,
    case_manager_code: r.caseManager ?? null,
  }));
  const eventKeys = keys.map((k) => ({ source: k.source, id: k.id }));
  const [row] = await queryPrepared<{
    created: string[];
    current: Array<CaseJson & { version: number; live_request: string | null }>;
    stored: StoredJson[];
  }>(db, statements[mode], [JSON.stringify(input), JSON.stringify(eventKeys)]);
  const cases: CasesRead['cases'] = new Map();
  for (const c of row!.current) {
    cases.set(c.crn, {
      state: caseState(c),
      version: c.version,
      liveRequest: c.live_request,
    });
  }
  const missing = new Set(
    mode === 'lock' ? row!.created : [...first.keys()].filter((crn) => !cases.has(crn)),
  );
  if (mode === 'lock') {
    for (const crn of missing) cases.set(crn, undefined);
    // A case another request inserted while this statement ran is neither created nor visible here.
    if (cases.size < first.size) throw new CaseRaceError('a case was created concurrently; retry');
  }
  const stored = new Map<string, StoredOutcome>();
  for (const s of row!.stored) {
    stored.set(eventKey(s.source, s.event_id), {
      outcome: s.outcome,
      rule: s.rule,
      reason: s.reason,
      policyVersion: s.policy_version,
      requestId: s.request_id,
    });
  }
  return { cases, missing, stored };
}

type StoredJson = {
  source: string;
  event_id: string;
  outcome: StoredOutcome['outcome'];
  rule: string;
  reason: string;
  policy_version: string;
  request_id: string | null;
};
