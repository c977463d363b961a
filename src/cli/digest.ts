import type { Command } from 'commander';
import type { Database } from '../../db/client.ts';
import { createQueues, type Queues, type TimerPayload } from '../../jobs/queues.ts';
import { platformsFor } from '../app.ts';
import type { Config } from '../config.ts';
import { cliActor } from '../context.ts';
import { type DigestOutcome, sendDigests, syncDigestSchedulers } from '../digests/index.ts';
import { isAppError } from '../errors.ts';
import { createLogger } from '../logger.ts';
import { loadPolicy } from '../policy/index.ts';
import { connectRedis, pingRedis, redactUrl } from '../redis.ts';
import { createScheduler, type Scheduler } from '../scheduler.ts';
import type { Deps } from '../unit-of-work.ts';
import { config, ExitError, type Io, withStorage } from './runtime.ts';

/**
 * `oversight digest --team CODE`: builds a team's digest now and queues it to the team lead, as
 * the scheduled run would, then prints what was sent. Several `--team`s are sent one by one; one
 * failing does not stop the others, and makes the exit code 1.
 */
export function registerDigest(program: Command, io: Io): void {
  program
    .command('digest')
    .description("send a team's digest to its team lead now, and print it")
    .requiredOption('--team <code...>', 'team code (repeat for several teams)')
    .action(async (options: { team: string[] }) => {
      const cfg = config();
      await withStorage(cfg, async (storage) => {
        await storage.check();
        await withQueues(
          cfg,
          io,
          'the digest is stored and goes out once a worker runs `oversight reconcile`',
          async (queues) => {
            const outcomes = await sendDigests(cliDeps(cfg, storage.db, queues), cliActor, options.team);
            for (const outcome of outcomes) print(io, outcome);
            const failed = outcomes.filter((o) => !o.ok).length;
            if (failed > 0) throw new ExitError(`${failed} of ${outcomes.length} digests not sent`);
          },
        );
      });
    });
}

/** What the services need, without the HTTP server: the CLI only queues messages and their jobs. */
function cliDeps(cfg: Config, db: Database, queues: Queues | undefined): Deps {
  const now = () => new Date();
  // Without Redis the delivery rows stay queued in Postgres and the reconciler adds their jobs.
  const scheduler: Scheduler = queues
    ? createScheduler(queues, createLogger('silent'), now)
    : { deliveries: async () => {}, timers: async () => {} };
  return { db, scheduler, policy: loadPolicy(cfg.policyFile), platforms: platformsFor(cfg), now };
}

/**
 * Runs `fn` with the job queues, or without them (and a warning saying what happens instead) when
 * Redis does not answer: BullMQ would otherwise wait for a connection that never comes.
 */
export async function withQueues<T>(
  cfg: Config,
  io: Io,
  meanwhile: string,
  fn: (queues: Queues | undefined) => Promise<T>,
): Promise<T> {
  const redis = connectRedis(cfg.redisUrl, 'producer');
  try {
    await pingRedis(redis, cfg.redisUrl, 2000);
  } catch {
    redis.disconnect();
    io.err(`warning: Redis is not reachable at ${redactUrl(cfg.redisUrl)}; ${meanwhile}.`);
    return fn(undefined);
  }
  const queues = createQueues(redis, cfg.redisPrefix);
  try {
    return await fn(queues);
  } finally {
    await queues.close().catch(() => {});
    redis.disconnect();
  }
}

function print(io: Io, outcome: DigestOutcome): void {
  if (!outcome.ok) {
    const reason = isAppError(outcome.error) ? outcome.error.message : `error: ${outcome.error.message}`;
    io.err(`digest for ${outcome.teamCode} not sent: ${reason}`);
    return;
  }
  const to = `${outcome.lead} (${outcome.queued} ${outcome.queued === 1 ? 'message' : 'messages'} queued)`;
  io.out(`digest for ${outcome.teamCode} sent to ${to}:`);
  io.out(`  ${outcome.message.title}`);
  for (const line of outcome.message.lines) io.out(`    ${line}`);
}

/**
 * Adds the timer jobs of actions handed over to a team lead. Redis being down does not fail the
 * command: each action's next due time is in Postgres, and the reconciler adds the job from it.
 */
export async function scheduleHandoverTimers(
  cfg: Config,
  io: Io,
  timers: Array<{ payload: TimerPayload; at: Date }>,
): Promise<void> {
  if (timers.length === 0) return;
  const meanwhile = 'reminders of handed-over actions start once a worker runs `oversight reconcile`';
  await withQueues(cfg, io, meanwhile, async (queues) => {
    if (queues) await createScheduler(queues, createLogger('silent')).timers(timers);
  });
}

/**
 * After a directory load, points the changed teams' digest schedulers at their new time, days,
 * timezone and lead. Redis being down does not fail the load: the teams table is the source, and
 * the reconciler rebuilds the schedulers from it once Redis is back.
 */
export async function syncSchedulesAfterLoad(
  cfg: Config,
  db: Database,
  teamCodes: readonly string[],
  io: Io,
): Promise<void> {
  if (teamCodes.length === 0) return;
  const meanwhile =
    'digest schedules not updated; the reconciler restores them from the directory, or run `oversight reconcile`';
  await withQueues(cfg, io, meanwhile, async (queues) => {
    if (!queues) return;
    try {
      const r = await syncDigestSchedulers(db, queues, teamCodes);
      io.out(
        `digest schedules: ${r.upserted.length} set, ${r.removed.length} removed, ${r.unchanged.length} unchanged`,
      );
    } catch (error) {
      io.err(`warning: ${(error as Error).message}; ${meanwhile}.`);
    }
  });
}
