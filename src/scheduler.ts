import { jobIds, type Queues, type TimerPayload } from '../jobs/queues.ts';
import type { Logger } from './logger.ts';

/**
 * Puts jobs on the derived schedule in Redis. Failures are logged, not thrown: Postgres already
 * holds the fact and its timer, and the reconciler re-creates any job that could not be added.
 */
export type Scheduler = {
  deliveries(ids: string[]): Promise<void>;
  timers(items: Array<{ payload: TimerPayload; at: Date }>): Promise<void>;
};

export function createScheduler(
  queues: Queues,
  logger: Logger,
  now: () => Date = () => new Date(),
): Scheduler {
  return {
    async deliveries(ids) {
      if (ids.length === 0) return;
      try {
        await queues.delivery.addBulk(
          ids.map((deliveryId) => ({
            name: 'deliver',
            data: { deliveryId },
            opts: { jobId: jobIds.delivery(deliveryId) },
          })),
        );
      } catch (error) {
        logger.warn(
          { err: (error as Error).message, count: ids.length },
          'could not queue deliveries; reconcile will',
        );
      }
    },
    async timers(items) {
      if (items.length === 0) return;
      const t = now().getTime();
      try {
        await queues.timers.addBulk(
          items.map(({ payload, at }) => ({
            name: payload.subject,
            data: payload,
            opts: { jobId: jobIds.timer(payload), delay: Math.max(0, at.getTime() - t) },
          })),
        );
      } catch (error) {
        logger.warn(
          { err: (error as Error).message, count: items.length },
          'could not queue timers; reconcile will',
        );
      }
    },
  };
}
