import type { Command } from 'commander';
import { createQueues } from '../../jobs/queues.ts';
import { connectRedis, pingRedis } from '../redis.ts';
import { describeReport, reconcile, reconcileHooks, restoredTotal } from '../reminders/index.ts';
import { config, type Io, withStorage } from './runtime.ts';

/**
 * `oversight reconcile`: re-creates from Postgres every job Redis is missing (timers, queued
 * deliveries, digest schedules) and says how many it restored. Safe to run at any time, beside
 * running workers: deterministic job ids make it idempotent.
 */
export function registerReconcile(program: Command, io: Io): void {
  program
    .command('reconcile')
    .description('re-create from Postgres every missing reminder, escalation, delivery and digest job')
    .action(async () => {
      const cfg = config();
      // A worker-style connection: a long pipelined run should wait out a reconnect, not fail.
      const redis = connectRedis(cfg.redisUrl, 'worker');
      try {
        await pingRedis(redis, cfg.redisUrl, 3000);
        const queues = createQueues(redis, cfg.redisPrefix);
        try {
          await withStorage(cfg, async (storage) => {
            await storage.check();
            const deps = { db: storage.db, redis, queues, now: () => new Date() };
            const report = await reconcile(deps, reconcileHooks(deps));
            io.out(`restored ${restoredTotal(report)} jobs`);
            io.out(describeReport(report));
          });
        } finally {
          await queues.close();
        }
      } finally {
        redis.disconnect();
      }
    });
}
