import { DelayedError, UnrecoverableError, Worker } from 'bullmq';
import type { App } from '../src/app.ts';
import { addTimers, runActionTimer, runRequestTimer } from '../src/reminders/index.ts';
import type { Deps } from '../src/unit-of-work.ts';
import type { ProcessorFactory } from './processor.ts';
import { queueNames, type TimerPayload, timerPayload } from './queues.ts';

/** Timer jobs run at once per worker process; each holds one database connection while it runs. */
const concurrency = 8;

/**
 * The timers queue: notice reminders and escalations, action reminders and escalations, and
 * reminders to confirm. The job carries only the row id and its version token; the reminders
 * module re-reads the row, does nothing on a stale token, and records what it sent with the next
 * timer in one transaction.
 */
export const startTimerWorkers: ProcessorFactory = (app, connection) => {
  const deps = strictDeps(app);
  const worker = new Worker<TimerPayload>(
    queueNames.timers,
    async (job, token) => {
      const parsed = timerPayload.safeParse(job.data);
      if (!parsed.success) throw new UnrecoverableError('malformed timer payload');
      const payload = parsed.data;
      const outcome =
        payload.subject === 'request'
          ? await runRequestTimer(deps, payload)
          : await runActionTimer(deps, payload);
      if (outcome.status === 'early') {
        // Ran before the row's due time: wait in the delayed set under the same job id.
        await job.moveToDelayed(outcome.at.getTime(), token);
        throw new DelayedError();
      }
      if (outcome.status === 'stale' && outcome.current) {
        // A worker killed between committing a step and adding its successor leaves the row's
        // live timer without a job; the retried (now stale) job puts it back. A no-op otherwise.
        await addTimers(app.queues, [outcome.current], app.deps.now());
      }
      return outcome.status;
    },
    {
      connection,
      prefix: app.config.redisPrefix,
      concurrency,
      lockDuration: app.config.workerLockDurationMs,
      stalledInterval: app.config.workerStalledIntervalMs,
    },
  );
  return [worker];
};

/**
 * The app's dependencies with a scheduler that throws when it cannot add the next timer, so the
 * job fails and is retried (and the retry re-adds it) instead of leaving it to the next reconcile.
 */
function strictDeps(app: App): Deps {
  return {
    ...app.deps,
    scheduler: {
      deliveries: (ids) => app.deps.scheduler.deliveries(ids),
      timers: (items) => addTimers(app.queues, items, app.deps.now()),
    },
  };
}
