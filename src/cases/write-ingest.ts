import { type SQL, sql } from 'drizzle-orm';
import type { Database } from '../../db/client.ts';
import type { Actor } from '../context.ts';
import type { IngestPlan } from './plan.ts';
import { jsonb, rowsOf } from './sql-json.ts';

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
};

/**
 * Writes a plan in one statement: the new event rows, the cases' new state, the audit rows (as
 * `audit()` would write them), and removal of cases created for nothing. A plain INSERT for events,
 * no ON CONFLICT: if a concurrent request stored one of them first, the unique violation makes the
 * request start again and answer `duplicate`, rather than apply the event twice.
 *
 * With `expect`, the statement first locks those cases and writes nothing unless each still has
 * the version the plan was made from (a compare-and-set for the optimistic path); the answer says
 * whether it wrote.
 */
export async function writeIngest(
  db: Database,
  plan: IngestPlan,
  options: { actor: Actor; now: Date; expect?: Array<{ crn: string; version: number }> },
): Promise<boolean> {
  const audit = plan.audit.map((e) => ({
    actor: options.actor.staffCode ?? options.actor.surface,
    surface: options.actor.surface,
    action: e.action,
    subject_type: e.subjectType,
    subject_id: e.subjectId,
    crn: e.crn ?? null,
    detail: e.detail ?? null,
  }));
  const cases = plan.cases.map((c) => ({ ...c, updated_at: options.now.toISOString() }));
  const guard: SQL = options.expect
    ? sql`select count(*) = ${sql.raw(String(options.expect.length))} as ok from (
        select 1 from cases c
        join jsonb_to_recordset(${jsonb(options.expect)}) as x(crn text, version int)
          on c.crn = x.crn and c.version = x.version
        order by c.crn for update of c) as still`
    : sql`select true as ok`;
  const result = await db.execute(sql`
    with guard as (${guard}), new_events as (
      insert into case_events (id, source, event_id, crn, type, occurred_at, received_at, envelope,
                               outcome, rule, reason, policy_version)
      select * from jsonb_to_recordset(${jsonb(plan.accepted.map((a) => a.row))}) as v(
        id uuid, source text, event_id text, crn text, type text, occurred_at timestamptz,
        received_at timestamptz, envelope jsonb, outcome text, rule text, reason text, policy_version text)
      where (select ok from guard)
    ), changed_cases as (
      update cases as c set
        service = v.service, team_code = v.team_code,
        case_manager_code = v.case_manager_code, case_manager_grade = v.case_manager_grade,
        rosh = v.rosh, vulnerability = v.vulnerability, flags = v.flags,
        watch_since = v.watch_since, watch_reason = v.watch_reason,
        version = c.version + 1, updated_at = v.updated_at
      from jsonb_to_recordset(${jsonb(cases)}) as v(
        crn text, service text, team_code text, case_manager_code text, case_manager_grade text,
        rosh text, vulnerability text, flags text[], watch_since timestamptz, watch_reason text,
        updated_at timestamptz)
      where c.crn = v.crn and (select ok from guard)
    ), audit_rows as (
      insert into audit_log (actor, surface, action, subject_type, subject_id, crn, detail)
      select * from jsonb_to_recordset(${jsonb(audit)}) as v(
        actor text, surface text, action text, subject_type text, subject_id text, crn text, detail jsonb)
      where (select ok from guard)
    ), unused_cases as (
      delete from cases
      where crn in (select jsonb_array_elements_text(${jsonb(plan.unused)})) and (select ok from guard)
    )
    select (select ok from guard) as ok`);
  return rowsOf<{ ok: boolean }>(result)[0]?.ok === true;
}
