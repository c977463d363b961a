import type { Database } from '../../db/client.ts';
import type { Queues } from '../../jobs/queues.ts';
import type { Redis } from '../redis.ts';

/** What rebuilding the derived schedule needs: the truth (Postgres), the schedule (Redis, its queues), a clock. */
export type ReconcileDeps = { db: Database; redis: Redis; queues: Queues; now: () => Date };
