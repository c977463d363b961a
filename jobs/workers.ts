import type { Worker } from 'bullmq';
import type { App } from '../src/app.ts';
import { connectRedis } from '../src/redis.ts';

/** A processor module: starts the worker(s) of one queue on the given connection. */
export type ProcessorFactory = (
  app: App,
  connection: ReturnType<typeof connectRedis>,
) => Worker[] | Promise<Worker[]>;

/** Every queue's processor; each lives in its own file in jobs/. */
const processors: Array<[string, () => Promise<ProcessorFactory>]> = [];

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
    for (const w of started)
      w.on('error', (error) => app.logger.warn({ queue: name, err: error.message }, 'worker error'));
    workers.push(...started);
  }
  app.onClose(async () => {
    await Promise.all(workers.map((w) => w.close()));
    connection.disconnect();
  });
  app.logger.info({ queues: processors.map(([name]) => name) }, 'workers started');
  return workers;
}
