import type { Database } from '../../db/client.ts';
import { queryPrepared } from '../../db/prepared.ts';
import type { Platform } from '../../db/schema/index.ts';
import type { Actor } from '../context.ts';
import type { IngestPlan } from './plan.ts';

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

/**
 * The whole of a request's writes as one statement, its text fixed (so it is prepared once per
 * connection) and every list bound as one parameter, JSON text cast to jsonb in the statement (so
 * neither driver guesses how to encode it):
 *
 *  $1 expected case versions (empty: no check)  $2 event rows      $3 case rows
 *  $4 audit rows                                 $5 unused cases    $6 requests opened
 *  $7 requests joined                            $8 triggers        $9 notices to deliver
 *  $10 platforms                                 $11 now            $12 acknowledge by
 *
 * Data-modifying CTEs all run, once, against the snapshot the statement started with; none sees
 * another's rows, and no row is changed by two of them. Foreign keys between them (a trigger's
 * event and request, an event's request) are checked when the statement ends.
 */
const writeStatement = `
  with cas as (
    select count(*) = jsonb_array_length($1::text::jsonb) as ok from (
      select 1 from cases c
      join jsonb_to_recordset($1::text::jsonb) as x(crn text, version int)
        on c.crn = x.crn and c.version = x.version
      order by c.crn for update of c) as still
  ), joined as (
    update oversight_requests as r set updated_at = $11::text::timestamptz
    where r.id = any (array(select jsonb_array_elements_text($7::text::jsonb))::uuid[])
      and r.status <> 'closed' and (select ok from cas)
    returning r.id
  ), guard as (
    select (select ok from cas)
       and (select count(*) from joined) = jsonb_array_length($7::text::jsonb) as ok
  ), opened as (
    insert into oversight_requests (id, crn, team_code, status, opened_at, acknowledge_by,
                                    next_due_at, next_step, version, updated_at)
    select v.id, v.crn, v.team_code, 'open', $11::text::timestamptz, $12::text::timestamptz, $12::text::timestamptz,
           'remind', 1, $11::text::timestamptz
    from jsonb_to_recordset($6::text::jsonb) as v(id uuid, crn text, team_code text)
    where (select ok from guard)
  ), new_events as (
    insert into case_events (id, source, event_id, crn, type, occurred_at, received_at, envelope,
                             outcome, rule, reason, policy_version, request_id)
    select * from jsonb_to_recordset($2::text::jsonb) as v(
      id uuid, source text, event_id text, crn text, type text, occurred_at timestamptz,
      received_at timestamptz, envelope jsonb, outcome text, rule text, reason text,
      policy_version text, request_id uuid)
    where (select ok from guard)
  ), changed_cases as (
    update cases as c set
      service = v.service, team_code = v.team_code,
      case_manager_code = v.case_manager_code, case_manager_grade = v.case_manager_grade,
      rosh = v.rosh, vulnerability = v.vulnerability, flags = v.flags,
      watch_since = v.watch_since, watch_reason = v.watch_reason,
      raised_risk_since = case when v.raise then coalesce(c.raised_risk_since, $11::text::timestamptz)
                               else c.raised_risk_since end,
      version = c.version + 1, updated_at = $11::text::timestamptz
    from jsonb_to_recordset($3::text::jsonb) as v(
      crn text, service text, team_code text, case_manager_code text, case_manager_grade text,
      rosh text, vulnerability text, flags text[], watch_since timestamptz, watch_reason text,
      raise boolean)
    where c.crn = v.crn and (select ok from guard)
  ), triggers as (
    insert into request_triggers (request_id, kind, case_event_id, event_id, type, category, rule,
                                  reason, policy_version, at)
    select v.request_id, 'event', v.case_event_id, v.event_id, v.type, v.category, v.rule,
           v.reason, v.policy_version, $11::text::timestamptz
    from jsonb_to_recordset($8::text::jsonb) as v(
      request_id uuid, case_event_id uuid, event_id text, type text, category text, rule text,
      reason text, policy_version text)
    where (select ok from guard)
  ), notices as (
    insert into deliveries (platform, kind, target, team_code, request_id, dedupe_key, payload)
    select p.platform, 'notice.' || n.mode, d.target, t.code, n.request_id,
           case when n.mode = 'post' then 'notice.post:' || n.request_id || ':' || p.platform end,
           jsonb_build_object('requestId', n.request_id)
    from jsonb_to_recordset($9::text::jsonb) as n(request_id uuid, team_code text, mode text)
    join teams t on t.code = n.team_code
    cross join jsonb_array_elements_text($10::text::jsonb) as p(platform)
    cross join lateral (select case p.platform
        when 'slack' then t.slack_channel
        when 'msteams' then t.msteams_conversation_id
        when 'console' then 'team:' || t.code end as target) as d
    where d.target is not null and (select ok from guard)
    on conflict (dedupe_key) do nothing
    returning id
  ), audit_rows as (
    insert into audit_log (actor, surface, action, subject_type, subject_id, crn, detail)
    select * from jsonb_to_recordset($4::text::jsonb) as v(
      actor text, surface text, action text, subject_type text, subject_id text, crn text, detail jsonb)
    where (select ok from guard)
  ), unused_cases as (
    delete from cases
    where crn = any (array(select jsonb_array_elements_text($5::text::jsonb)))
      and (select ok from guard)
  )
  select (select ok from guard) as ok,
         (select coalesce(json_agg(id), '[]') from notices) as deliveries`;

export type Written = {
  /**
   * False when a compare-and-set failed and nothing was written: a case changed since it was read
   * (`expect`), or a request read as live was closed before it could be joined.
   */
  ok: boolean;
  /** The notice deliveries queued, to hand to the delivery queue after commit. */
  deliveries: string[];
};

/**
 * Writes a plan in one statement: the new event rows, the cases' new state, the oversight requests
 * opened or joined with their triggers and notice deliveries, the audit rows (as `audit()` would
 * write them), and removal of cases created for nothing. A plain INSERT for events, no ON
 * CONFLICT: if a concurrent request stored one of them first, the unique violation makes the
 * request start again and answer `duplicate`, rather than apply the event twice.
 *
 * With `expect`, the statement first locks those cases and writes nothing unless each still has
 * the version the plan was made from (a compare-and-set for the optimistic path). Either way it
 * writes nothing unless every request the plan joins is still live; the requests it opens are
 * kept to one per case by a unique index (a race there fails the statement with 23505).
 */
export async function writeIngest(
  db: Database,
  plan: IngestPlan,
  options: {
    actor: Actor;
    now: Date;
    acknowledgeBy: Date;
    platforms: readonly Platform[];
    expect?: Array<{ crn: string; version: number }>;
  },
): Promise<Written> {
  const audit = plan.audit.map((e) => ({
    actor: options.actor.staffCode ?? options.actor.surface,
    surface: options.actor.surface,
    action: e.action,
    subject_type: e.subjectType,
    subject_id: e.subjectId,
    crn: e.crn ?? null,
    detail: e.detail ?? null,
  }));
  const { opened, joined, triggers, notices } = plan.raise;
  const [row] = await queryPrepared<Written>(db, writeStatement, [
    ...[
      options.expect ?? [],
      plan.accepted.map((a) => a.row),
      plan.cases,
      audit,
      plan.unused,
      opened,
      joined,
      triggers,
      notices,
      options.platforms,
    ].map((list) => JSON.stringify(list)),
    options.now.toISOString(),
    options.acknowledgeBy.toISOString(),
  ]);
  return row!;
}
