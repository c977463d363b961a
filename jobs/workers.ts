import type { Worker } from 'bullmq';
import type { App } from '../src/app.ts';
import { connectRedis } from '../src/redis.ts';
import { reconcile, reconcileHooks, startReconcileLoop } from '../src/reminders/index.ts';
import type { ProcessorFactory } from './processor.ts';

/** Every queue's processor; each lives in its own file in jobs/. */
const processors: Array<[string, () => Promise<ProcessorFactory>]> = [
  ['timers', async () => (await import('./timers.ts')).startTimerWorkers],
  ['digest', async () => (await import('./digest.ts')).startDigestWorkers],
  ['delivery', async () => (await import('./delivery.ts')).startDelivery],
];

/**
 * Starts the processors of every queue in this process (the worker role) and registers their
 * shutdown with the app: `worker.close()` lets the active job finish.
 */
export async function startWorkers(app: App): Promise<Worker[]> {
  const connection = connectRedis(app.config.redisUrl, 'worker');
  const workers: Worker[] = [];
  for (const [name, load] of processors) {
    const factory = await load();
    const started = await factory(app, connection);
    for (const w of started) {
      w.on('error', (error) => app.logger.warn({ queue: name, err: error.message }, 'worker error'));
      // Every processed job counts once: completed, or failed (a failure BullMQ will retry counts too).
      w.on('completed', () => app.metrics.jobs.labels(w.name, 'completed').inc());
      w.on('failed', () => app.metrics.jobs.labels(w.name, 'failed').inc());
    }
    workers.push(...started);
  }
  // Rebuild any job Redis lost, at start and periodically (SPEC 'Sources of truth').
  const reconciler = startReconcileLoop({
    everyMs: app.config.reconcileEveryMs,
    logger: app.logger,
    run: () => {
      const deps = { db: app.storage.db, redis: app.redis, queues: app.queues, now: app.deps.now };
      return reconcile(deps, reconcileHooks(deps));
    },
  });
  app.onClose(async () => {
    await reconciler.stop();
    await Promise.all(workers.map((w) => w.close()));
    connection.disconnect();
  });
  app.logger.info({ queues: processors.map(([name]) => name) }, 'workers started');
  return workers;
}
