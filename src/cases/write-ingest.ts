import type { Database } from '../../db/client.ts';
import { queryPrepared } from '../../db/prepared.ts';
import type { Platform } from '../../db/schema/index.ts';
import type { Actor } from '../context.ts';
import type { Policy } from '../policy/index.ts';
import type { Effects } from '../unit-of-work.ts';
import { type IngestPlan, shareRequestIds } from './plan.ts';

/**
 * The whole of a request's writes as one statement. Its text is one of two fixed ones (with or
 * without the oversight requests a batch raises), so each is prepared once per connection; every
 * list is bound as one parameter, JSON text cast to jsonb in the statement (so neither driver
 * guesses how to encode it). Parameters are named `{name}` here and numbered when the text is made.
 *
 * Data-modifying CTEs all run, once, against the snapshot the statement started with; none sees
 * another's rows, and no row is changed by two of them. Foreign keys between them (a trigger's
 * event and request, an event's request) are checked when the statement ends.
 */
const parts = {
  cas: `
    select count(*) = jsonb_array_length({expect}::text::jsonb) as ok from (
      select 1 from cases c
      join jsonb_to_recordset({expect}::text::jsonb) as x(crn text, version int)
        on c.crn = x.crn and c.version = x.version
      order by c.crn for update of c) as still
  `,
  joined: `
    update oversight_requests as r set updated_at = {now}::text::timestamptz
    where r.id = any (array(select jsonb_array_elements_text({joined}::text::jsonb))::uuid[])
      and r.status <> 'closed' and (select ok from cas)
    returning r.id
  `,
  guard: `
    select (select ok from cas)
       and (select count(*) from joined) = jsonb_array_length({joined}::text::jsonb) as ok
  `,
  opened: `
    insert into oversight_requests (id, crn, team_code, status, opened_at, acknowledge_by,
                                    next_due_at, next_step, version, updated_at)
    select v.id, v.crn, v.team_code, 'open', {now}::text::timestamptz, {acknowledgeBy}::text::timestamptz, {acknowledgeBy}::text::timestamptz,
           'remind', 1, {now}::text::timestamptz
    from jsonb_to_recordset({opened}::text::jsonb) as v(id uuid, crn text, team_code text)
    where (select ok from guard)
  `,
  new_events: `
    insert into case_events (id, source, event_id, crn, type, occurred_at, received_at, envelope,
                             outcome, rule, reason, policy_version, request_id)
    select * from jsonb_to_recordset({events}::text::jsonb) as v(
      id uuid, source text, event_id text, crn text, type text, occurred_at timestamptz,
      received_at timestamptz, envelope jsonb, outcome text, rule text, reason text,
      policy_version text, request_id uuid)
    where (select ok from guard)
  `,
  changed_cases: `
    update cases as c set
      service = v.service, team_code = v.team_code,
      case_manager_code = v.case_manager_code, case_manager_grade = v.case_manager_grade,
      rosh = v.rosh, vulnerability = v.vulnerability, flags = v.flags,
      watch_since = v.watch_since, watch_reason = v.watch_reason,
      raised_risk_since = case when v.raise then coalesce(c.raised_risk_since, {now}::text::timestamptz)
                               else c.raised_risk_since end,
      version = c.version + 1, updated_at = {now}::text::timestamptz
    from jsonb_to_recordset({cases}::text::jsonb) as v(
      crn text, service text, team_code text, case_manager_code text, case_manager_grade text,
      rosh text, vulnerability text, flags text[], watch_since timestamptz, watch_reason text,
      raise boolean)
    where c.crn = v.crn and (select ok from guard)
  `,
  triggers: `
    insert into request_triggers (request_id, kind, case_event_id, event_id, type, category, rule,
                                  reason, policy_version, by, referral_reason, at)
    select v.request_id, v.kind, v.case_event_id, v.event_id, v.type, v.category, v.rule,
           v.reason, v.policy_version, v.by, v.referral_reason, {now}::text::timestamptz
    from jsonb_to_recordset({triggers}::text::jsonb) as v(
      request_id uuid, kind text, case_event_id uuid, event_id text, type text, category text,
      rule text, reason text, policy_version text, by text, referral_reason text)
    where (select ok from guard)
  `,
  notices: `
    insert into deliveries (platform, kind, target, team_code, request_id, dedupe_key, payload)
    select p.platform, 'notice.' || n.mode, d.target, t.code, n.request_id,
           case when n.mode = 'post' then 'notice.post:' || n.request_id || ':' || p.platform end,
           jsonb_build_object('requestId', n.request_id)
    from jsonb_to_recordset({notices}::text::jsonb) as n(request_id uuid, team_code text, mode text)
    join teams t on t.code = n.team_code
    cross join jsonb_array_elements_text({platforms}::text::jsonb) as p(platform)
    cross join lateral (select case p.platform
        when 'slack' then t.slack_channel
        when 'msteams' then t.msteams_conversation_id
        when 'console' then 'team:' || t.code end as target) as d
    where d.target is not null and (select ok from guard)
    on conflict (dedupe_key) do nothing
    returning id
  `,
  audit_rows: `
    insert into audit_log (actor, surface, action, subject_type, subject_id, crn, detail)
    select * from jsonb_to_recordset({audit}::text::jsonb) as v(
      actor text, surface text, action text, subject_type text, subject_id text, crn text, detail jsonb)
    where (select ok from guard)
  `,
  unused_cases: `
    delete from cases
    where crn = any (array(select jsonb_array_elements_text({unused}::text::jsonb)))
      and (select ok from guard)
  `,
};

/** Without requests raised, the guard is the compare-and-set alone and nothing is delivered. */
const routineGuard = `
    select ok from cas
  `;

const writeStatements = {
  raising: compileNamed(
    withCtes(
      [
        'cas',
        'joined',
        'guard',
        'opened',
        'new_events',
        'changed_cases',
        'triggers',
        'notices',
        'audit_rows',
        'unused_cases',
      ],
      parts,
    ) +
      `
  select (select ok from guard) as ok,
         (select coalesce(json_agg(id), '[]') from notices) as deliveries`,
  ),
  routine: compileNamed(
    withCtes(['cas', 'guard', 'new_events', 'changed_cases', 'audit_rows', 'unused_cases'], {
      ...parts,
      guard: routineGuard,
    }) +
      `
  select (select ok from guard) as ok, '[]'::json as deliveries`,
  ),
};

function withCtes(order: string[], from: Record<string, string>): string {
  return `\n  with ${order.map((name) => `${name} as (${from[name]})`).join(', ')}`;
}

/** `{name}` parameters numbered `$1…` in order of first use; the names in that order. */
function compileNamed(text: string): { text: string; names: string[] } {
  const names: string[] = [];
  const numbered = text.replace(/\{(\w+)\}/g, (_, name: string) => {
    if (!names.includes(name)) names.push(name);
    return `$${names.indexOf(name) + 1}`;
  });
  return { text: numbered, names };
}

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
  const raising = plan.raise.triggers.length > 0;
  const statement = raising ? writeStatements.raising : writeStatements.routine;
  const [row] = await queryPrepared<Written>(
    db,
    statement.text,
    statement.names.map((name) => parameter(name, plan, options, audit)),
  );
  return row!;
}

/** The value of one named parameter of the write statement. */
function parameter(
  name: string,
  plan: IngestPlan,
  options: { now: Date; acknowledgeBy: Date; platforms: readonly Platform[]; expect?: unknown[] },
  audit: unknown[],
): string {
  switch (name) {
    case 'expect':
      return json(options.expect ?? []);
    case 'events':
      return json(plan.accepted.map((a) => a.row));
    case 'cases':
      return json(plan.cases);
    case 'audit':
      return json(audit);
    case 'unused':
      return json(plan.unused);
    case 'opened':
      return json(plan.raise.opened);
    case 'joined':
      return json(plan.raise.joined);
    case 'triggers':
      return json(plan.raise.triggers);
    case 'notices':
      return json(plan.raise.notices);
    case 'platforms':
      return json(options.platforms);
    case 'now':
      return options.now.toISOString();
    case 'acknowledgeBy':
      return options.acknowledgeBy.toISOString();
    default:
      throw new Error(`the write statement has no parameter ${name}`);
  }
}

const json = (list: readonly unknown[]): string => (list.length === 0 ? '[]' : JSON.stringify(list));

/**
 * Writes a plan; on success adds its jobs to `effects` (the notices, and the first timer of each
 * request opened), to be queued once the writes are committed. False when a compare-and-set
 * failed and nothing was written.
 */
export async function writePlan(
  db: Database,
  plan: IngestPlan,
  options: {
    actor: Actor;
    now: Date;
    policy: Policy;
    platforms: readonly Platform[];
    effects: Effects;
    expect?: Array<{ crn: string; version: number }>;
  },
): Promise<boolean> {
  const { now, policy, effects } = options;
  const acknowledgeBy = new Date(now.getTime() + policy.timings.acknowledgeWithin.ms);
  const written = await writeIngest(db, plan, { ...options, acknowledgeBy });
  if (!written.ok) return false;
  effects.deliveries.push(...written.deliveries);
  for (const { id } of plan.raise.opened) {
    effects.timers.push({ payload: { subject: 'request', id, version: 1 }, at: acknowledgeBy });
  }
  shareRequestIds(plan.results);
  return true;
}
