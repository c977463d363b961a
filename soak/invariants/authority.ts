import { sql } from 'drizzle-orm';
import type { Database } from '../../db/client.ts';
import type { HostileStats } from '../steps.ts';
import { type Check, check, sample } from './check.ts';
import { rows } from './query.ts';

/**
 * No one let in (SPEC 'Who may do what'): every acknowledgement, record, confirmation, reopening
 * and cancellation in the audit log was made by a manager of the case's team, every "done" by the
 * action's owner or such a manager, every referral by staff of the case's team. The hostile share
 * of the load tried all of these as the wrong person; each attempt must have left only a
 * `.refused` row.
 */
export async function authorityChecks(db: Database, hostile: HostileStats): Promise<Check[]> {
  const intruders = await rows<{ id: string; action: string; actor: string }>(
    db,
    sql`with subject_team as (
          select id::text as subject_id, team_code, null::text as owner from oversight_requests
          union all select id::text, team_code, owner_code from actions
          union all select rec.id::text, req.team_code, null from oversight_records rec
            join oversight_requests req on req.id = rec.request_id
        )
        select a.id::text, a.action, a.actor from audit_log a
        join subject_team s on s.subject_id = a.subject_id
        left join staff p on p.code = a.actor
        where a.action in ('request.acknowledged', 'record.created', 'record.corrected',
                           'action.confirmed', 'action.reopened', 'action.cancelled', 'action.done_claimed')
          and not (p.role = 'manager' and p.team_code = s.team_code and p.active)
          and not (a.action = 'action.done_claimed' and a.actor = s.owner)`,
  );
  const referrals = await rows<{ id: string }>(
    db,
    sql`select a.id::text from audit_log a
        join oversight_requests r on r.id::text = a.subject_id
        left join staff p on p.code = a.actor
        where a.action in ('request.opened', 'request.trigger_added') and a.detail->>'kind' = 'referral'
          and not (p.team_code = r.team_code and p.role <> 'admin')`,
  );
  const [refused] = await rows<{ n: number }>(
    db,
    sql`select count(*)::int as n from audit_log where action like '%.refused'`,
  );
  const attempts = Object.values(hostile.attempts).reduce((a, b) => a + b, 0);
  const kinds = Object.entries(hostile.attempts)
    .map(([k, n]) => `${k} ${n}`)
    .join('; ');
  return [
    check(
      'no one let in: every change was made by someone allowed to',
      intruders.length === 0 && referrals.length === 0,
      `${intruders.length + referrals.length} changes by someone not allowed${sample(intruders.map((i) => `${i.action} by ${i.actor}`))}; ${attempts} hostile attempts (${kinds || 'none'}), ${refused?.n ?? 0} .refused audit rows`,
    ),
  ];
}
