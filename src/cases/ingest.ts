import { pgCode } from '../../db/client.ts';
import type { Actor } from '../context.ts';
import { type Deps, type Effects, scheduleEffects, type TxCtx, transact } from '../unit-of-work.ts';
import type { CaseCache } from './case-cache.ts';
import type { CaseEventRequest } from './parse.ts';
import { planIngest } from './plan.ts';
import { CaseRaceError, type CasesRead, readCases } from './read-cases.ts';
import type { CaseEventResult } from './schemas.ts';
import { explainUnknownTeams } from './unknown-teams.ts';
import { writePlan } from './write-ingest.ts';

const retryable = new Set(['23505', '40001', '40P01']);
/** The optimistic try, then the locked path up to three times. */
const maxAttempts = 4;

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
  cache?: CaseCache,
): Promise<CaseEventResult[]> {
  for (let attempt = 1; ; attempt++) {
    try {
      const quick = attempt === 1 ? await ingestOptimistically(deps, actor, request, cache) : undefined;
      if (quick) return quick;
      return await transact(deps, actor, (ctx) => ingestLocked(ctx, request));
    } catch (error) {
      // Whatever this process remembered of these cases may be why it failed (an event already stored).
      cache?.forget(request.events.map((e) => e.case.crn));
      const code = pgCode(error);
      // A case's team must be in the directory; the foreign key says so at no cost on the happy path.
      if (code === '23503') await explainUnknownTeams(deps.db, request);
      // A concurrent request stored one of these events or created one of these cases first, or
      // locks crossed: start again, and this time see what it stored.
      if (code && retryable.has(code) && attempt < maxAttempts) continue;
      throw error;
    }
  }
}

/**
 * The common case, in two statements and no transaction: every case already exists. Read, decide,
 * then one statement that writes everything only if no case changed in between (each case's
 * version is checked under lock) and every request it joins is still live. When every case is in
 * the cache, the read is skipped: one statement. Undefined when it does not apply or lost a race;
 * the locked path then starts again from a fresh read.
 */
async function ingestOptimistically(
  deps: Deps,
  actor: Actor,
  request: CaseEventRequest,
  cache: CaseCache | undefined,
): Promise<CaseEventResult[] | undefined> {
  const refs = request.events.map((e) => e.case);
  const cached = cache?.read(refs.map((r) => r.crn));
  for (const read of cached ? [cached, undefined] : [undefined]) {
    const results = await tryOptimistically(deps, actor, request, read, cache);
    if (results) return results;
    if (read) cache!.forget(read.cases.keys());
  }
  return undefined;
}

async function tryOptimistically(
  deps: Deps,
  actor: Actor,
  request: CaseEventRequest,
  cached: CasesRead | undefined,
  cache: CaseCache | undefined,
): Promise<CaseEventResult[] | undefined> {
  const read =
    cached ??
    (await readCases(
      deps.db,
      request.events.map((e) => e.case),
      request.events,
      'peek',
    ));
  if (read.missing.size > 0) return undefined;
  const now = deps.now();
  const plan = planIngest(request, read, deps.policy, now);
  if (plan.accepted.length === 0) return plan.results;
  const expect = [...read.cases].map(([crn, c]) => ({ crn, version: c!.version }));
  const effects: Effects = { deliveries: [], timers: [] };
  const written = await writePlan(deps.db, plan, {
    actor,
    now,
    policy: deps.policy,
    platforms: deps.platforms,
    effects,
    expect,
  });
  if (!written) return undefined;
  cache?.remember(read, plan);
  await scheduleEffects(deps.scheduler, effects);
  return plan.results;
}

/**
 * The general case, in one transaction with every case of the request locked (creating those not
 * yet known): read, decide, then the same one statement writes everything.
 */
async function ingestLocked(ctx: TxCtx, request: CaseEventRequest): Promise<CaseEventResult[]> {
  const refs = request.events.map((e) => e.case);
  const read = await readCases(ctx.db, refs, request.events, 'lock');
  const now = ctx.now();
  const plan = planIngest(request, read, ctx.policy, now);
  if (plan.accepted.length === 0 && plan.unused.length === 0) return plan.results;
  const written = await writePlan(ctx.db, plan, { ...ctx, now });
  // A request read as live was closed before it could be joined: start again, and this time open one.
  if (!written) throw new CaseRaceError('a live oversight request was closed concurrently; retry');
  return plan.results;
}
