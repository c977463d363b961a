import type { JobsOptions } from 'bullmq';
import { type DeliveryPayload, jobIds, type Queues, type TimerPayload } from '../../jobs/queues.ts';

/**
 * The job shapes of the derived schedule, the same as src/scheduler.ts adds after commit: the
 * deterministic job id is what makes re-adding a job (reconcile, a retried timer) a no-op.
 */
export type JobSpec<T> = { name: string; data: T; opts: JobsOptions & { jobId: string } };

export function timerJob(payload: TimerPayload, at: Date, now: Date): JobSpec<TimerPayload> {
  return {
    name: payload.subject,
    data: payload,
    opts: { jobId: jobIds.timer(payload), delay: Math.max(0, at.getTime() - now.getTime()) },
  };
}

export function deliveryJob(deliveryId: string): JobSpec<DeliveryPayload> {
  return { name: 'deliver', data: { deliveryId }, opts: { jobId: jobIds.delivery(deliveryId) } };
}

/**
 * Adds timer jobs and lets failures propagate (unlike the request path's scheduler, which logs and
 * leaves them to reconcile): a timer processor that cannot schedule its successor fails, is
 * retried, and the retry re-adds the successor.
 */
export async function addTimers(
  queues: Queues,
  items: Array<{ payload: TimerPayload; at: Date }>,
  now: Date,
): Promise<void> {
  if (items.length === 0) return;
  await queues.timers.addBulk(items.map(({ payload, at }) => timerJob(payload, at, now)));
}
