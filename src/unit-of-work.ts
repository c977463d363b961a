import type { Database } from '../db/client.ts';
import type { Platform } from '../db/schema/index.ts';
import type { TimerPayload } from '../jobs/queues.ts';
import type { Actor, Ctx } from './context.ts';
import type { Policy } from './policy/index.ts';
import type { Scheduler } from './scheduler.ts';

/** Jobs to add once the transaction that justified them has committed. */
export type Effects = {
  deliveries: string[];
  timers: Array<{ payload: TimerPayload; at: Date }>;
};

/** What a service sees inside its transaction. */
export type TxCtx = Ctx & { effects: Effects; policy: Policy; platforms: readonly Platform[] };

/** The long-lived dependencies every service is built from. */
export type Deps = {
  db: Database;
  scheduler: Scheduler;
  policy: Policy;
  /** The chat platforms this deployment posts to. */
  platforms: readonly Platform[];
  now: () => Date;
};

/**
 * Runs `fn` in one transaction, then schedules its jobs after commit: a job never refers to a row
 * that a rolled-back transaction would have written.
 */
export async function transact<T>(deps: Deps, actor: Actor, fn: (ctx: TxCtx) => Promise<T>): Promise<T> {
  const effects: Effects = { deliveries: [], timers: [] };
  const result = await deps.db.transaction((tx) =>
    fn({ db: tx, actor, now: deps.now, effects, policy: deps.policy, platforms: deps.platforms }),
  );
  await scheduleEffects(deps.scheduler, effects);
  return result;
}

/** Queues a committed transaction's jobs: deliveries and timers at once. */
export async function scheduleEffects(scheduler: Scheduler, effects: Effects): Promise<void> {
  await Promise.all([scheduler.deliveries(effects.deliveries), scheduler.timers(effects.timers)]);
}
