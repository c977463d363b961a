import { Queue, type QueueOptions } from 'bullmq';
import { z } from 'zod';
import type { Redis } from '../src/redis.ts';
import { retries } from './backoff.ts';

/** Queue names and payload schemas, in one place. A job carries ids and a version token, never content. */
export const queueNames = {
  delivery: 'delivery',
  timers: 'timers',
  digest: 'digest',
} as const;
export type QueueName = (typeof queueNames)[keyof typeof queueNames];

export const deliveryPayload = z.object({ deliveryId: z.uuid() });
export type DeliveryPayload = z.infer<typeof deliveryPayload>;

export const timerPayload = z.object({
  subject: z.enum(['request', 'action']),
  id: z.uuid(),
  version: z.number().int(),
});
export type TimerPayload = z.infer<typeof timerPayload>;

export const digestPayload = z.object({ teamCode: z.string() });
export type DigestPayload = z.infer<typeof digestPayload>;

/** Deterministic job ids make adding a job idempotent (BullMQ ids may not contain ':'). */
export const jobIds = {
  delivery: (deliveryId: string) => `delivery-${deliveryId}`,
  timer: (p: TimerPayload) => `${p.subject}-${p.id}-v${p.version}`,
  digestScheduler: (teamCode: string) => `digest-${teamCode.replace(/[^A-Za-z0-9_-]/g, '_')}`,
};

export type Queues = {
  delivery: Queue<DeliveryPayload>;
  timers: Queue<TimerPayload>;
  digest: Queue<DigestPayload>;
  prefix: string;
  close(): Promise<void>;
};

/** Opens the producer side of every queue on one connection, under a Cluster-safe prefix. */
export function createQueues(connection: Redis, prefix: string): Queues {
  const options: QueueOptions = {
    connection,
    prefix,
    defaultJobOptions: { removeOnComplete: true, removeOnFail: 1000 },
  };
  const delivery = new Queue<DeliveryPayload>(queueNames.delivery, {
    ...options,
    defaultJobOptions: {
      ...options.defaultJobOptions,
      ...retries.delivery,
    },
  });
  const timers = new Queue<TimerPayload>(queueNames.timers, {
    ...options,
    defaultJobOptions: {
      ...options.defaultJobOptions,
      ...retries.timers,
    },
  });
  const digest = new Queue<DigestPayload>(queueNames.digest, options);
  for (const q of [delivery, timers, digest]) q.on('error', () => {});
  return {
    delivery,
    timers,
    digest,
    prefix,
    async close() {
      await Promise.all([delivery.close(), timers.close(), digest.close()]);
    },
  };
}
