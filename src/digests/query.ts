import {
  and,
  asc,
  desc,
  eq,
  gte,
  isNotNull,
  isNull,
  lt,
  lte,
  or,
  type Placeholder,
  type SQL,
  type SQLWrapper,
  sql,
} from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import type { Database } from '../../db/client.ts';
import { actions, cases, deliveries, oversightRequests, staff, teams } from '../../db/schema/index.ts';
import type { PolicyTimings } from '../policy/index.ts';

/**
 * The one statement that reads a team's digest: the team and its lead, and per section a
 * subquery returning its worst rows (each carrying the section's total) as JSON. Each subquery is
 * a range scan of a partial index on (team_code, …) whose predicate the WHERE repeats, so the cost
 * follows what is listed, not the team's history; one round trip per team, never one per item.
 * Only CRNs, refs, levels, staff names and counts are selected: never event text, referral
 * reasons or action descriptions.
 */

/** How many items each section lists; the rest are a count, so the digest reads on a phone. */
export const DIGEST_WORST = 5;

/** How far back failed deliveries are listed: long enough to span a weekend and a bank holiday. */
export const FAILED_LOOKBACK_MS = 7 * 86_400_000;

export type DigestQueryOptions = { now: Date; timings: PolicyTimings; worst?: number };

const owner = alias(staff, 'owner');
const setter = alias(staff, 'setter');
const acknowledger = alias(staff, 'acknowledger');
const total = () => sql<number>`(count(*) over ())::int`.as('total');

/** What the statement is run with: concrete values, or placeholders for the prepared form. */
type Bind = {
  team: string | Placeholder;
  now: Date | Placeholder;
  raisedBefore: Date | Placeholder;
  failedSince: Date | Placeholder;
  limit: number | Placeholder;
};

function bindValues(teamCode: string, options: DigestQueryOptions) {
  const { now, timings } = options;
  return {
    team: teamCode,
    now,
    raisedBefore: new Date(now.getTime() - timings.noOversightWithin.ms),
    failedSince: new Date(now.getTime() - FAILED_LOOKBACK_MS),
    limit: options.worst ?? DIGEST_WORST,
  };
}

/** The statement of one team's digest with its values in place, unexecuted (the benchmark EXPLAINs it). */
export function digestQuery(db: Database, teamCode: string, options: DigestQueryOptions) {
  return digestStatement(db, bindValues(teamCode, options));
}

/**
 * Runs a team's digest as a prepared statement: the same text for every team, so each connection
 * plans it once and re-uses the plan (planning six subqueries costs more than running them).
 * Timestamps go as ISO text, which both drivers pass through unchanged.
 */
export function runDigestQuery(db: Database, teamCode: string, options: DigestQueryOptions) {
  const v = bindValues(teamCode, options);
  const names = ['team', 'now', 'raisedBefore', 'failedSince', 'limit'] as const;
  const placeholders = Object.fromEntries(names.map((n) => [n, sql.placeholder(n)])) as Record<
    (typeof names)[number],
    Placeholder
  >;
  return digestStatement(db, placeholders).prepare('oversight_digest').execute({
    team: v.team,
    now: v.now.toISOString(),
    raisedBefore: v.raisedBefore.toISOString(),
    failedSince: v.failedSince.toISOString(),
    limit: v.limit,
  });
}

function digestStatement(db: Database, b: Bind) {
  const { team: teamCode, now, raisedBefore, failedSince, limit } = b;

  // Oldest first: the longer an action is overdue, the longer a deficit has gone unaddressed.
  const overdue = db
    .select({
      ref: actions.ref,
      crn: actions.crn,
      owner: sql`coalesce(${owner.name}, ${actions.ownerCode})`.as('owner'),
      dueDate: actions.dueDate,
      total: total(),
    })
    .from(actions)
    .leftJoin(owner, eq(owner.code, actions.ownerCode))
    .where(and(eq(actions.teamCode, teamCode), eq(actions.status, 'open'), lte(actions.overdueFrom, now)))
    .orderBy(asc(actions.overdueFrom), asc(actions.ref))
    .limit(limit);

  // Claimed done but not confirmed: "just asking for tasks to be undertaken, without ensuring
  // they have been done, is not enough".
  const awaiting = db
    .select({
      ref: actions.ref,
      crn: actions.crn,
      owner: sql`coalesce(${owner.name}, ${actions.ownerCode})`.as('owner'),
      setter: sql`coalesce(${setter.name}, ${actions.setBy})`.as('setter'),
      doneAt: actions.doneAt,
      total: total(),
    })
    .from(actions)
    .leftJoin(owner, eq(owner.code, actions.ownerCode))
    .leftJoin(setter, eq(setter.code, actions.setBy))
    .where(and(eq(actions.teamCode, teamCode), eq(actions.status, 'done_claimed')))
    .orderBy(asc(actions.doneAt), asc(actions.ref))
    .limit(limit);

  // Every notice nobody has acknowledged, however new: the lead sees what is waiting before it is
  // late. Those past their acknowledge-by (the deadline their managers were shown, under the policy
  // of that day) sort first and are counted, so the digest can mark them overdue.
  const unacknowledged = db
    .select({
      crn: oversightRequests.crn,
      openedAt: oversightRequests.openedAt,
      acknowledgeBy: oversightRequests.acknowledgeBy,
      total: total(),
      overdue:
        sql<number>`(count(*) filter (where ${lte(oversightRequests.acknowledgeBy, now)}) over ())::int`.as(
          'overdue',
        ),
    })
    .from(oversightRequests)
    .where(and(eq(oversightRequests.teamCode, teamCode), eq(oversightRequests.status, 'open')))
    .orderBy(asc(oversightRequests.acknowledgeBy), asc(oversightRequests.crn))
    .limit(limit);

  // Acknowledged but no oversight recorded yet: someone took the notice on and the record is
  // still missing. Oldest acknowledgement first.
  const unrecorded = db
    .select({
      crn: oversightRequests.crn,
      acknowledgedAt: oversightRequests.acknowledgedAt,
      by: sql`coalesce(${acknowledger.name}, ${oversightRequests.acknowledgedBy})`.as('by'),
      total: total(),
    })
    .from(oversightRequests)
    .leftJoin(acknowledger, eq(acknowledger.code, oversightRequests.acknowledgedBy))
    .where(and(eq(oversightRequests.teamCode, teamCode), eq(oversightRequests.status, 'acknowledged')))
    .orderBy(asc(oversightRequests.acknowledgedAt), asc(oversightRequests.crn))
    .limit(limit);

  // Recording oversight clears raised_risk_since; the last_record_at guard covers a record written
  // in the same instant as a new raise.
  const raisedRisk = db
    .select({
      crn: cases.crn,
      rosh: cases.rosh,
      vulnerability: cases.vulnerability,
      since: sql`${cases.raisedRiskSince}`.as('since'),
      total: total(),
    })
    .from(cases)
    .where(
      and(
        eq(cases.teamCode, teamCode),
        isNotNull(cases.raisedRiskSince),
        lte(cases.raisedRiskSince, raisedBefore),
        or(isNull(cases.lastRecordAt), lt(cases.lastRecordAt, cases.raisedRiskSince)),
      ),
    )
    .orderBy(asc(cases.raisedRiskSince), asc(cases.crn))
    .limit(limit);

  const watch = db
    .select({
      crn: cases.crn,
      rosh: cases.rosh,
      vulnerability: cases.vulnerability,
      since: sql`${cases.watchSince}`.as('since'),
      total: total(),
    })
    .from(cases)
    .where(and(eq(cases.teamCode, teamCode), isNotNull(cases.watchSince)))
    .orderBy(asc(cases.watchSince), asc(cases.crn))
    .limit(limit);

  // A message that never arrived may be a notice nobody saw: newest first, so a broken channel
  // shows at once.
  const failed = db
    .select({
      kind: deliveries.kind,
      platform: deliveries.platform,
      target: deliveries.target,
      failedAt: deliveries.failedAt,
      error: sql`${deliveries.lastError}`.as('error'),
      total: total(),
    })
    .from(deliveries)
    .where(
      and(
        eq(deliveries.teamCode, teamCode),
        eq(deliveries.status, 'failed'),
        gte(deliveries.failedAt, failedSince),
      ),
    )
    .orderBy(desc(deliveries.failedAt))
    .limit(limit);

  return db
    .select({
      code: teams.code,
      name: teams.name,
      timezone: teams.timezone,
      leadCode: staff.code,
      leadName: staff.name,
      raisedRisk: jsonRows(raisedRisk),
      unacknowledged: jsonRows(unacknowledged),
      unrecorded: jsonRows(unrecorded),
      overdue: jsonRows(overdue),
      failed: jsonRows(failed),
      awaiting: jsonRows(awaiting),
      watch: jsonRows(watch),
    })
    .from(teams)
    .leftJoin(staff, and(eq(staff.code, teams.leadCode), eq(staff.active, true)))
    .where(eq(teams.code, teamCode));
}

/**
 * A subquery's rows as JSON text, keyed by column name. Text, parsed by the caller, reads the
 * same on postgres-js and PGlite (their JSON and timestamp decoding differ).
 */
function jsonRows(query: SQLWrapper): SQL<string> {
  return sql<string>`(select coalesce(json_agg(r), '[]')::text from (${query}) r)`;
}
