import { pgCode } from '../../db/client.ts';
import type { Actor } from '../context.ts';
import { raiseRequest } from '../oversight/raise.ts';
import { requiredWhateverTheCase } from '../policy/index.ts';
import { type Deps, type TxCtx, transact } from '../unit-of-work.ts';
import { linkEventsToRequests } from './event-rows.ts';
import type { CaseEventRequest } from './parse.ts';
import { type IngestPlan, planIngest, shareRequestIds } from './plan.ts';
import { readCases } from './read-cases.ts';
import type { CaseEventResult } from './schemas.ts';
import { explainUnknownTeams } from './unknown-teams.ts';
import { writeIngest } from './write-ingest.ts';

const retryable = new Set(['23505', '40001', '40P01']);

/**
 * Stores a request's case events with the policy's verdict on each: case upserts, event rows,
 * oversight requests raised or joined, audit rows. Either all of it is stored or none; notice
 * deliveries are queued after commit. Events already stored (same source and id, in an earlier
 * request or earlier in this one) come back as `duplicate`, changing nothing.
 */
export async function ingestCaseEvents(
  deps: Deps,
  actor: Actor,
  request: CaseEventRequest,
): Promise<CaseEventResult[]> {
  for (let attempt = 1; ; attempt++) {
    try {
      const quick = attempt === 1 ? await ingestOptimistically(deps, actor, request) : undefined;
      return quick ?? (await transact(deps, actor, (ctx) => ingestLocked(ctx, request)));
    } catch (error) {
      const code = pgCode(error);
      // A case's team must be in the directory; the foreign key says so at no cost on the happy path.
      if (code === '23503') await explainUnknownTeams(deps.db, request);
      // A concurrent request stored one of these events or created one of these cases first, or
      // locks crossed: start again, and this time see what it stored.
      if (code && retryable.has(code) && attempt < 3) continue;
      throw error;
    }
  }
}

/**
 * The common case, in two statements and no transaction: every case already exists and no event
 * needs a notice. Read, decide, then one statement that writes everything only if no case changed
 * in between (each case's version is checked under lock). Undefined when it does not apply or lost
 * a race; the locked path then starts again from a fresh read.
 */
async function ingestOptimistically(
  deps: Deps,
  actor: Actor,
  request: CaseEventRequest,
): Promise<CaseEventResult[] | undefined> {
  if (request.events.some((e) => requiredWhateverTheCase(e, deps.policy))) return undefined;
  const refs = request.events.map((e) => e.case);
  const read = await readCases(deps.db, refs, request.events, 'peek');
  if (read.missing.size > 0) return undefined;
  const now = deps.now();
  const plan = planIngest(request, read, deps.policy, now);
  if (plan.required) return undefined;
  if (plan.accepted.length === 0) return plan.results;
  const expect = [...read.cases].map(([crn, c]) => ({ crn, version: c!.version }));
  const written = await writeIngest(deps.db, plan, { actor, now, expect });
  return written ? plan.results : undefined;
}

/** The general case, in one transaction with every case of the request locked. */
async function ingestLocked(ctx: TxCtx, request: CaseEventRequest): Promise<CaseEventResult[]> {
  const refs = request.events.map((e) => e.case);
  const read = await readCases(ctx.db, refs, request.events, 'lock');
  const now = ctx.now();
  const plan = planIngest(request, read, ctx.policy, now);
  if (plan.accepted.length > 0 || plan.unused.length > 0) {
    await writeIngest(ctx.db, plan, { actor: ctx.actor, now });
  }
  await raiseRequired(ctx, plan);
  shareRequestIds(plan.results);
  return plan.results;
}

/**
 * Raises (or joins) an oversight request for every event the policy says needs it, one at a time
 * through `raiseRequest`, which keeps a case to one live notice and queues the notice.
 */
async function raiseRequired(ctx: TxCtx, plan: IngestPlan): Promise<void> {
  const links: Array<{ id: string; requestId: string }> = [];
  for (const { index, row, evaluation } of plan.accepted) {
    if (evaluation.outcome !== 'required') continue;
    const { requestId } = await raiseRequest(ctx, row.crn, {
      kind: 'event',
      caseEventId: row.id,
      eventId: row.event_id,
      type: row.type,
      category: evaluation.category,
      rule: evaluation.rule,
      reason: evaluation.reason,
      policyVersion: evaluation.policyVersion,
    });
    links.push({ id: row.id, requestId });
    plan.results[index]!.requestId = requestId;
  }
  await linkEventsToRequests(ctx.db, links);
}
