import { createHash } from 'node:crypto';
import { and, eq, inArray, ne, sql } from 'drizzle-orm';
import type { Database } from '../../db/client.ts';
import { actions, cases, oversightRecords, oversightRequests, staff, teams } from '../../db/schema/index.ts';
import { firstActionTimer } from '../actions/plan.ts';
import { audit } from '../audit/index.ts';
import { queueNotice } from '../chat/index.ts';
import type { Actor } from '../context.ts';
import { isManagerOf } from '../directory/index.ts';
import { conflict, invalid, parseInput } from '../errors.ts';
import { actingStaff, managerOnly, refuse } from '../permissions.ts';
import { overdueFrom } from '../time.ts';
import { type Deps, transact } from '../unit-of-work.ts';
import { requestById } from './load.ts';
import { type RecordInput, recordInput } from './schemas.ts';

export type RecordResult = {
  recordId: string;
  requestId: string;
  crn: string;
  status: 'recorded' | 'closed';
  actions: Array<{ id: string; ref: string; owner: string; due: string; overdue: boolean }>;
};

export type RecordOptions = {
  /**
   * Identifies one submission (e.g. a Slack modal's view id and a hash of its values): the record
   * gets an id derived from it, so the same submission replayed (a resent signed request) makes
   * no second record and answers with the first one.
   */
  replayKey?: string;
};

/**
 * A manager records their oversight: the four assurances, deficits, rationale, variance, evidence
 * and remedial actions, in one transaction with the audit rows. Invalid input changes nothing.
 */
export async function recordOversight(
  deps: Deps,
  actor: Actor,
  raw: RecordInput,
  options: RecordOptions = {},
): Promise<RecordResult> {
  const recordId = options.replayKey ? recordIdFor(options.replayKey) : undefined;
  const requestId = typeof raw?.requestId === 'string' ? raw.requestId : '';
  const request = await requestById(deps.db, requestId);
  const person = await actingStaff(deps.db, actor);
  if (!isManagerOf(person, request.teamCode)) {
    await refuse(
      deps.db,
      actor,
      { action: 'record.create', subjectType: 'request', subjectId: request.id, crn: request.crn },
      managerOnly('record oversight'),
    );
  }
  const input = parseInput(
    recordInput,
    raw,
    'The oversight record was not saved: please correct these fields',
  );
  const replayed = recordId ? await earlierResult(deps.db, recordId, request.id, deps.now()) : undefined;
  if (replayed) return replayed;
  if (request.status === 'closed') {
    throw conflict('This notice is closed. To raise new concerns about the case, refer it again.');
  }

  // Owners must be staff of the case's team (validated with field paths, so forms show it inline).
  const ownerCodes = [...new Set(input.actions.map((a) => a.owner))];
  const owners = ownerCodes.length
    ? await deps.db
        .select({ code: staff.code, teamCode: staff.teamCode, active: staff.active })
        .from(staff)
        .where(inArray(staff.code, ownerCodes))
    : [];
  const fieldErrors = input.actions.flatMap((a, i) => {
    const owner = owners.find((o) => o.code === a.owner);
    return owner?.active && owner.teamCode === request.teamCode
      ? []
      : [{ path: `actions[${i}].owner`, message: `Owner must be a member of team ${request.teamCode}` }];
  });
  if (input.supersedes) {
    const [previous] = await deps.db
      .select({ id: oversightRecords.id })
      .from(oversightRecords)
      .where(and(eq(oversightRecords.id, input.supersedes), eq(oversightRecords.requestId, request.id)));
    if (!previous) fieldErrors.push({ path: 'supersedes', message: 'must be a record of this notice' });
  }
  if (fieldErrors.length > 0)
    throw invalid('The oversight record was not saved: please correct these fields', fieldErrors);

  return transact(deps, actor, async (ctx) => {
    const now = ctx.now();
    const [team] = await ctx.db.select().from(teams).where(eq(teams.code, request.teamCode));
    // Lock the case, then the request, in the order raiseRequest uses (case, then request): a record
    // racing a referral or event for the same case waits its turn instead of deadlocking, and a
    // record racing an acknowledgement or another record is applied in turn.
    await ctx.db.select({ crn: cases.crn }).from(cases).where(eq(cases.crn, request.crn)).for('update');
    const [current] = await ctx.db
      .select()
      .from(oversightRequests)
      .where(eq(oversightRequests.id, request.id))
      .for('update');
    // Checked again under the locks: two copies of one submission racing each other make one record.
    const raced = recordId ? await earlierResult(ctx.db, recordId, request.id, ctx.now()) : undefined;
    if (raced) return raced;
    if (!current || current.status === 'closed') {
      throw conflict(
        'This notice was closed meanwhile. To raise new concerns about the case, refer it again.',
      );
    }
    const [record] = await ctx.db
      .insert(oversightRecords)
      .values({
        ...(recordId ? { id: recordId } : {}),
        requestId: request.id,
        crn: request.crn,
        by: person!.code,
        at: now,
        supersedes: input.supersedes ?? null,
        assurances: input.assurances,
        deficits: input.deficits,
        rationale: input.rationale,
        varianceProcedure: input.variance.procedure,
        varianceReason: input.variance.reason,
        evidence: input.evidence,
      })
      .returning({ id: oversightRecords.id });

    const created: RecordResult['actions'] = [];
    for (const a of input.actions) {
      const overdue = overdueFrom(a.due, team!.timezone);
      const nextDueAt = firstActionTimer(
        { status: 'open', overdueFrom: overdue, doneAt: null, reminderCount: 0, escalatedAt: null },
        ctx.policy.timings,
        now,
      );
      const [row] = await ctx.db
        .insert(actions)
        .values({
          requestId: request.id,
          recordId: record!.id,
          crn: request.crn,
          teamCode: request.teamCode,
          description: a.description,
          ownerCode: a.owner,
          setBy: person!.code,
          dueDate: a.due,
          overdueFrom: overdue,
          nextDueAt,
          nextStep: nextDueAt ? 'tick' : null,
          createdAt: now,
          updatedAt: now,
        })
        .returning({ id: actions.id, ref: actions.ref, version: actions.version });
      if (nextDueAt) {
        ctx.effects.timers.push({
          payload: { subject: 'action', id: row!.id, version: row!.version },
          at: nextDueAt,
        });
      }
      created.push({ id: row!.id, ref: row!.ref, owner: a.owner, due: a.due, overdue: overdue <= now });
    }

    // The request is closed when nothing is left to chase (no actions, or all already settled).
    const [{ live }] = (await ctx.db
      .select({ live: sql<number>`count(*)::int` })
      .from(actions)
      .where(and(eq(actions.requestId, request.id), inArray(actions.status, ['open', 'done_claimed'])))) as [
      { live: number },
    ];
    const status = live > 0 ? 'recorded' : 'closed';
    await ctx.db
      .update(oversightRequests)
      .set({
        status,
        recordedAt: now,
        closedAt: status === 'closed' ? now : null,
        acknowledgedBy: current.acknowledgedBy ?? person!.code,
        acknowledgedAt: current.acknowledgedAt ?? now,
        nextDueAt: null,
        nextStep: null,
        version: sql`${oversightRequests.version} + 1`,
        updatedAt: now,
      })
      .where(and(eq(oversightRequests.id, request.id), ne(oversightRequests.status, 'closed')));
    await ctx.db
      .update(cases)
      .set({ lastRecordAt: now, raisedRiskSince: null, updatedAt: now })
      .where(eq(cases.crn, request.crn));

    await audit(
      ctx.db,
      ctx.actor,
      ...(current.status === 'open'
        ? [
            {
              action: 'request.acknowledged',
              subjectType: 'request',
              subjectId: request.id,
              crn: request.crn,
            },
          ]
        : []),
      {
        action: input.supersedes ? 'record.corrected' : 'record.created',
        subjectType: 'record',
        subjectId: record!.id,
        crn: request.crn,
        detail: { requestId: request.id, supersedes: input.supersedes ?? null, actions: created.length },
      },
      ...created.map((a) => ({
        action: 'action.created',
        subjectType: 'action',
        subjectId: a.id,
        crn: request.crn,
        detail: { ref: a.ref, owner: a.owner, due: a.due },
      })),
      ...(status === 'closed'
        ? [{ action: 'request.closed', subjectType: 'request', subjectId: request.id, crn: request.crn }]
        : [{ action: 'request.recorded', subjectType: 'request', subjectId: request.id, crn: request.crn }]),
    );
    await queueNotice(ctx, request, 'update');
    return { recordId: record!.id, requestId: request.id, crn: request.crn, status, actions: created };
  });
}

/** A record id derived from a submission's replay key: the same submission always names the same record. */
export function recordIdFor(replayKey: string): string {
  const hex = createHash('sha256').update(`oversight-record:${replayKey}`).digest('hex');
  // Shaped as a version-5-style UUID (version and variant bits set) so Postgres's uuid type takes it.
  const variant = ((Number.parseInt(hex[16]!, 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/** The answer the first copy of a replayed submission got, or undefined when there was none. */
async function earlierResult(
  db: Database,
  recordId: string,
  requestId: string,
  now: Date,
): Promise<RecordResult | undefined> {
  const [record] = await db
    .select({ id: oversightRecords.id, crn: oversightRecords.crn, requestId: oversightRecords.requestId })
    .from(oversightRecords)
    .where(eq(oversightRecords.id, recordId));
  if (!record || record.requestId !== requestId) return undefined;
  const [request] = await db
    .select({ status: oversightRequests.status })
    .from(oversightRequests)
    .where(eq(oversightRequests.id, requestId));
  const made = await db
    .select({
      id: actions.id,
      ref: actions.ref,
      owner: actions.ownerCode,
      due: actions.dueDate,
      overdueFrom: actions.overdueFrom,
    })
    .from(actions)
    .where(eq(actions.recordId, recordId));
  return {
    recordId: record.id,
    requestId,
    crn: record.crn,
    status: request?.status === 'closed' ? 'closed' : 'recorded',
    actions: made.map((a) => ({
      id: a.id,
      ref: a.ref,
      owner: a.owner,
      due: a.due,
      overdue: a.overdueFrom <= now,
    })),
  };
}
