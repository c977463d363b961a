import { eq, isNotNull, sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { actions, deliveries, oversightRequests } from '../db/schema/index.ts';
import { jobIds } from '../jobs/queues.ts';
import { startWorkers } from '../jobs/workers.ts';
import type { Actor } from '../src/context.ts';
import { reconcile, restoredTotal } from '../src/reminders/index.ts';
import { secondsPolicy } from './reminders-support.ts';
import { startTestApp, type TestApp } from './support/app.ts';
import { runCli } from './support/cli.ts';
import { daysFromToday } from './support/dates.ts';
import { testEnvironment } from './support/environment.ts';
import { makeCase, makeStaff, makeTeam, notApplicableAssurances } from './support/factories.ts';
import { dropRedisPrefix } from './support/redis.ts';

const policy = secondsPolicy({
  acknowledgeWithin: '30s',
  escalateUnacknowledgedAfter: '1h',
  remindBeforeDue: '1h',
  repeatOverdueEvery: '1h',
  escalateOverdueAfter: '1d',
  remindAwaitingConfirmationEvery: '2s',
  noOversightWithin: '1d',
});
const as = (staffCode: string): Actor => ({ staffCode, surface: 'slack' });
const assurances = notApplicableAssurances;
const poll = { timeout: 15_000, interval: 100 };

/**
 * Other test runs share this Redis, so "FLUSHALL" here deletes every key under this app's own
 * prefix: for the app that is the same as losing everything (all its keys live under the prefix).
 */
describe('Redis loses everything; `oversight reconcile` rebuilds the schedule from Postgres', () => {
  let t: TestApp;
  let due: { requestId: string; crn: string };
  beforeAll(async () => {
    t = await startTestApp({
      listen: false,
      policy,
      roles: { web: false, worker: false },
      consoleWrite: () => {},
    });
    const db = t.db.storage.db;
    await makeTeam(db, { leadCode: 'tl-kim' });
    await makeStaff(db, 'mgr-sam', 'manager');
    await makeStaff(db, 'cm-ali', 'case_manager');
    await makeStaff(db, 'tl-kim', 'team_lead');
    const services = t.app.services;
    const refer = async (crn: string) => {
      await makeCase(db, crn);
      return { ...(await services.refer(as('cm-ali'), { crn, reason: 'Disclosure' })), crn };
    };
    await refer('X400001'); // open: reminder pending
    due = await refer('X400002'); // open: made due below, while Redis is empty
    const acknowledged = await refer('X400003');
    await services.acknowledge(as('mgr-sam'), { requestId: acknowledged.requestId });
    const recorded = await refer('X400004');
    const record = await services.record(as('mgr-sam'), {
      requestId: recorded.requestId,
      assurances,
      rationale: 'Plan to be revised',
      actions: [30, 31, 32]
        .map((n) => daysFromToday(n))
        .map((d) => ({
          description: 'Revise the plan',
          owner: 'cm-ali',
          due: d,
        })),
    });
    const [, claimed, confirmed] = record.actions;
    await services.done(as('cm-ali'), { ref: claimed!.ref, evidence: 'Plan revised' });
    await services.confirm(as('mgr-sam'), { ref: confirmed!.ref });
  });

  /** What Postgres says must be scheduled: one timer job per row with a next due time. */
  async function expectedTimerJobs(): Promise<string[]> {
    const db = t.db.storage.db;
    const requests = await db
      .select({ id: oversightRequests.id, version: oversightRequests.version })
      .from(oversightRequests)
      .where(isNotNull(oversightRequests.nextDueAt));
    const open = await db
      .select({ id: actions.id, version: actions.version })
      .from(actions)
      .where(isNotNull(actions.nextDueAt));
    return [
      ...requests.map((r) => jobIds.timer({ subject: 'request', id: r.id, version: r.version })),
      ...open.map((a) => jobIds.timer({ subject: 'action', id: a.id, version: a.version })),
    ].sort();
  }
  const scheduledTimerJobs = async () =>
    (await t.app.queues.timers.getJobs(['delayed', 'wait', 'prioritized'])).map((j) => j.id).sort();
  const reconcileDeps = () => ({
    db: t.db.storage.db,
    redis: t.app.redis,
    queues: t.app.queues,
    now: () => new Date(),
  });

  it('with nothing lost, reconcile restores nothing and removes jobs of superseded versions', async () => {
    const report = await reconcile(reconcileDeps());
    expect(report.timers.restored + report.deliveries.restored).toBe(0);
    // The acknowledged notice, the recorded one, and the claimed and confirmed actions had jobs
    // for versions that can no longer do anything.
    expect(report.pruned).toBeGreaterThanOrEqual(3);
    expect(await scheduledTimerJobs()).toEqual(await expectedTimerJobs());
  });

  it('after FLUSHALL the CLI puts back every job; a second run restores none', async () => {
    const expected = await expectedTimerJobs();
    expect(expected).toHaveLength(4); // two open notices, one open action, one awaiting confirmation
    await dropRedisPrefix(t.config.redisPrefix);
    expect(await scheduledTimerJobs()).toEqual([]);
    // A notice falls due while Redis is empty: its row says so; no job exists to act on it.
    await t.db.storage.db
      .update(oversightRequests)
      .set({ acknowledgeBy: new Date(Date.now() - 1000), nextDueAt: new Date(Date.now() - 1000) })
      .where(eq(oversightRequests.id, due.requestId));
    const queued = await t.db.storage.db.select().from(deliveries).where(eq(deliveries.status, 'queued'));

    const env = {
      NODE_ENV: 'test',
      DATABASE_URL: t.db.url,
      REDIS_URL: testEnvironment().redisUrl,
      REDIS_PREFIX: t.config.redisPrefix,
    };
    const first = await runCli(['reconcile'], env);
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    // Timers, queued deliveries, and the team's digest scheduler.
    expect(first.stdout).toContain(`restored ${expected.length + queued.length + 1} jobs`);
    expect(first.stdout).toMatch(/timers: 4 restored/);
    expect(await scheduledTimerJobs()).toEqual(expected);
    for (const d of queued) {
      expect(await t.app.queues.delivery.getJob(jobIds.delivery(d.id))).toBeDefined();
    }
    expect((await t.app.queues.digest.getJobSchedulers()).map((s) => s.key)).toEqual([
      jobIds.digestScheduler('YOT-N'),
    ]);

    // Idempotent: run again (in process, to keep the test quick), nothing is missing.
    const second = await reconcile(reconcileDeps());
    expect(restoredTotal(second)).toBe(0);
    expect(second.timers.expected).toBe(expected.length);
  }, 60_000);

  it('reminders resume once a worker runs', async () => {
    await startWorkers(t.app);
    const sentFor = (requestId: string) =>
      t.app.storage.db.select().from(deliveries).where(eq(deliveries.requestId, requestId));
    await expect
      .poll(async () => (await sentFor(due.requestId)).some((d) => d.kind === 'thread.reply'), poll)
      .toBe(true);
    await expect
      .poll(
        async () =>
          (
            await t.app.storage.db
              .select({ n: sql<number>`count(*)::int` })
              .from(deliveries)
              .where(sql`${deliveries.dedupeKey} like 'action-awaiting_confirmation:%'`)
          )[0]?.n,
        poll,
      )
      .toBeGreaterThanOrEqual(1);
  });
});
