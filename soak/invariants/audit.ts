import { sql } from 'drizzle-orm';
import type { Database } from '../../db/client.ts';
import { type Check, check, sample } from './check.ts';
import { rows } from './query.ts';

type AuditRow = {
  subject_id: string;
  action: string;
  actor: string;
  detail: { from?: string; to?: string } | null;
};

const requestMoves: Record<string, string> = {
  'request.opened': 'open',
  'request.acknowledged': 'acknowledged',
  'request.recorded': 'recorded',
  'request.closed': 'closed',
};

/**
 * Replays each subject's audit rows in order and returns the subjects whose row in Postgres is not
 * where its audit trail leads (a state change without its audit row, or an audit row without it).
 */
function replay(
  current: Map<string, string>,
  audit: AuditRow[],
  move: (state: string | undefined, row: AuditRow) => string | undefined | 'bad',
): string[] {
  const state = new Map<string, string | undefined>();
  const bad = new Set<string>();
  for (const row of audit) {
    const next = move(state.get(row.subject_id), row);
    if (next === 'bad') bad.add(row.subject_id);
    else if (next !== undefined) state.set(row.subject_id, next);
  }
  for (const [id, status] of current) if (state.get(id) !== status) bad.add(id);
  return [...bad];
}

/** Every state change has its audit row, and nothing was acknowledged twice. */
export async function auditChecks(db: Database): Promise<Check[]> {
  type Counts = Record<
    | 'events'
    | 'events_audited'
    | 'requests'
    | 'triggers'
    | 'triggers_audited'
    | 'records'
    | 'records_audited'
    | 'actions'
    | 'actions_audited',
    number
  >;
  const [counts] = await rows<Counts>(
    db,
    sql`select
      (select count(*)::int from case_events) as events,
      (select count(*)::int from audit_log where action = 'case_event.received') as events_audited,
      (select count(*)::int from oversight_requests) as requests,
      (select count(*)::int from request_triggers) as triggers,
      (select count(*)::int from audit_log where action in ('request.opened', 'request.trigger_added')) as triggers_audited,
      (select count(*)::int from oversight_records) as records,
      (select count(*)::int from audit_log where action in ('record.created', 'record.corrected')) as records_audited,
      (select count(*)::int from actions) as actions,
      (select count(*)::int from audit_log where action = 'action.created') as actions_audited`,
  );
  const c = counts!;
  const twice = await rows<{ subject_id: string; n: number }>(
    db,
    sql`select subject_id, count(*)::int as n from audit_log where action = 'request.acknowledged'
        group by subject_id having count(*) > 1`,
  );
  const acks = await rows<{ id: string; by: string; audited_by: string | null }>(
    db,
    sql`select r.id, r.acknowledged_by as by,
          (select a.actor from audit_log a where a.subject_id = r.id::text and a.action = 'request.acknowledged' limit 1) as audited_by
        from oversight_requests r where r.acknowledged_at is not null`,
  );
  const ackMismatch = acks.filter((a) => a.by !== a.audited_by).map((a) => a.id);

  const requestAudit = await rows<AuditRow>(
    db,
    sql`select subject_id, action, actor, detail from audit_log
        where subject_type = 'request' and action in ('request.opened', 'request.acknowledged', 'request.recorded', 'request.closed')
        order by id`,
  );
  const requestStatus = await rows<{ id: string; status: string }>(
    db,
    sql`select id::text, status from oversight_requests`,
  );
  const badRequests = replay(
    new Map(requestStatus.map((r) => [r.id, r.status])),
    requestAudit,
    (_state, row) => requestMoves[row.action],
  );

  const actionAudit = await rows<AuditRow>(
    db,
    sql`select subject_id, action, actor, detail from audit_log
        where subject_type = 'action' and action in ('action.created', 'action.done_claimed', 'action.confirmed', 'action.reopened', 'action.cancelled')
        order by id`,
  );
  const actionStatus = await rows<{ id: string; status: string }>(
    db,
    sql`select id::text, status from actions`,
  );
  const badActions = replay(new Map(actionStatus.map((a) => [a.id, a.status])), actionAudit, (state, row) => {
    if (row.action === 'action.created') return state === undefined ? 'open' : 'bad';
    // A transition's audit row names where it came from: it must be where the trail left the action.
    return row.detail?.from === state && row.detail?.to ? row.detail.to : 'bad';
  });

  const trail = (id: string) => {
    const moves = [...requestAudit, ...actionAudit]
      .filter((a) => a.subject_id === id)
      .map((a) => (a.detail?.to ? `${a.detail.from}→${a.detail.to}` : a.action.split('.')[1]));
    const now = [...requestStatus, ...actionStatus].find((r) => r.id === id)?.status;
    return `${id}: ${moves.join(', ')}; now ${now}`;
  };
  return [
    check(
      'no request has two acknowledgements',
      twice.length === 0 && ackMismatch.length === 0,
      `${acks.length} acknowledged, ${twice.length} with more than one request.acknowledged row, ${ackMismatch.length} whose row names someone else${sample([...twice.map((t) => t.subject_id), ...ackMismatch])}`,
    ),
    check(
      'every event, trigger, record and action has its audit row',
      c.events === c.events_audited &&
        c.triggers === c.triggers_audited &&
        c.records === c.records_audited &&
        c.actions === c.actions_audited,
      `events ${c.events}/${c.events_audited}, triggers ${c.triggers}/${c.triggers_audited}, records ${c.records}/${c.records_audited}, actions ${c.actions}/${c.actions_audited} (rows/audited)`,
    ),
    check(
      "every request's and action's state is where its audit trail leads",
      badRequests.length === 0 && badActions.length === 0,
      `${requestStatus.length} requests (${requestAudit.length} transitions), ${actionStatus.length} actions (${actionAudit.length - c.actions} transitions); ${badRequests.length + badActions.length} disagree${sample([...badRequests, ...badActions].map(trail), 2)}`,
    ),
  ];
}
