import type { Logger } from '../logger.ts';
import type { ReconcileReport } from './reconcile.ts';
import { restoredTotal } from './reconcile.ts';

export type ReconcileLoop = { stop(): Promise<void> };

/**
 * Runs the reconciler in a worker at start and then every `everyMs`, so a Redis that lost its data
 * (restart without persistence, failover, FLUSHALL) has its schedule back within one period
 * without anyone running `oversight reconcile`. Runs never overlap; `stop` waits for a running one.
 */
export function startReconcileLoop(options: {
  run: () => Promise<ReconcileReport>;
  everyMs: number;
  logger: Logger;
}): ReconcileLoop {
  const { run, everyMs, logger } = options;
  let running: Promise<void> | null = null;
  let stopped = false;
  const tick = () => {
    if (running || stopped) return;
    running = run()
      .then((report) => {
        const restored = restoredTotal(report);
        // Counts only: ids and names stay out of the logs.
        logger[restored > 0 ? 'warn' : 'debug'](
          {
            restored,
            timers: report.timers,
            deliveries: report.deliveries,
            digests: report.digests,
            ms: report.ms,
          },
          restored > 0 ? 'reconcile restored missing jobs' : 'reconcile found nothing missing',
        );
      })
      .catch((error: Error) => logger.warn({ err: error.message }, 'reconcile failed; will try again'))
      .finally(() => {
        running = null;
      });
  };
  tick();
  const timer = setInterval(tick, everyMs);
  timer.unref();
  return {
    async stop() {
      stopped = true;
      clearInterval(timer);
      await running;
    },
  };
}
