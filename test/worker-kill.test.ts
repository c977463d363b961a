import { type ChildProcess, spawn } from 'node:child_process';
import { unlinkSync } from 'node:fs';
import { resolve } from 'node:path';
import { and, eq, inArray } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog, oversightRequests } from '../db/schema/index.ts';
import { jobIds } from '../jobs/queues.ts';
import { startWorkers } from '../jobs/workers.ts';
import type { Actor } from '../src/context.ts';
import { secondsPolicy, type TimingsText, writePolicyFile } from './reminders-support.ts';
import { startTestApp, type TestApp } from './support/app.ts';
import { testEnvironment } from './support/environment.ts';
import { makeCase, makeStaff, makeTeam } from './support/factories.ts';

const timings: TimingsText = {
  acknowledgeWithin: '1s',
  escalateUnacknowledgedAfter: '2s',
  remindBeforeDue: '1h',
  repeatOverdueEvery: '1h',
  escalateOverdueAfter: '1d',
  remindAwaitingConfirmationEvery: '1h',
  noOversightWithin: '1d',
};
// Short locks so a killed worker's job is retaken within seconds (production: 30s each).
const stalledRecovery = { WORKER_LOCK_DURATION: '2s', WORKER_STALLED_INTERVAL: '1s' };
const as = (staffCode: string): Actor => ({ staffCode, surface: 'slack' });
const bin = resolve(import.meta.dirname, '../bin/oversight.js');
const notices = 12;

/** Runs `oversight worker` as a child process on the test app's database and Redis prefix. */
function spawnWorker(t: TestApp, policyFile: string): { child: ChildProcess; stderr: () => string } {
  const child = spawn(process.execPath, [bin, 'worker'], {
    env: {
      PATH: process.env.PATH ?? '',
      NODE_ENV: 'test',
      LOG_LEVEL: 'silent',
      DATABASE_URL: t.db.url,
      REDIS_URL: testEnvironment().redisUrl,
      REDIS_PREFIX: t.config.redisPrefix,
      POLICY_FILE: policyFile,
      ...stalledRecovery,
    },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (d) => {
    stderr += d;
  });
  return { child, stderr: () => stderr };
}

/** Holds a notice's row lock until released, so a worker is surely inside that notice's job. */
async function holdRowLock(t: TestApp, requestId: string): Promise<{ release(): Promise<void> }> {
  let release!: () => void;
  const held = new Promise<void>((r) => {
    release = r;
  });
  let locked!: () => void;
  const isLocked = new Promise<void>((r) => {
    locked = r;
  });
  const holder = t.db.storage.db.transaction(async (tx) => {
    await tx.select().from(oversightRequests).where(eq(oversightRequests.id, requestId)).for('update');
    locked();
    await held;
  });
  await isLocked;
  return {
    async release() {
      release();
      await holder;
    },
  };
}

/** Polls until the job is running (in whichever worker took it). */
async function untilActive(t: TestApp, jobId: string): Promise<void> {
  await expect
    .poll(async () => (await t.app.queues.timers.getJob(jobId))?.getState(), {
      timeout: 20_000,
      interval: 100,
    })
    .toBe('active');
}

describe('kill -9 of a worker process in the middle of a run', () => {
  let t: TestApp;
  let policyFile: string;
  let child: ChildProcess | undefined;
  const requestIds: string[] = [];
  beforeAll(async () => {
    policyFile = writePolicyFile(timings);
    t = await startTestApp({
      listen: false,
      policy: secondsPolicy(timings),
      env: stalledRecovery,
      roles: { web: false, worker: true },
      consoleWrite: () => {},
    });
    const db = t.db.storage.db;
    await makeTeam(db, { leadCode: 'tl-kim' });
    await makeStaff(db, 'cm-ali', 'case_manager');
    await makeStaff(db, 'tl-kim', 'team_lead');
    for (let i = 0; i < notices; i++) {
      const crn = `X5${String(i).padStart(5, '0')}`;
      await makeCase(db, crn);
      requestIds.push((await t.app.services.refer(as('cm-ali'), { crn, reason: 'Disclosure' })).requestId);
    }
  });
  afterAll(() => {
    child?.kill('SIGKILL');
    unlinkSync(policyFile);
  });

  it('loses no reminder and sends none twice', async () => {
    const db = t.db.storage.db;
    const [blocked] = requestIds;
    const lock = await holdRowLock(t, blocked!);
    const worker = spawnWorker(t, policyFile);
    child = worker.child;

    const blockedJob = jobIds.timer({ subject: 'request', id: blocked!, version: 1 });
    const reminded = async () =>
      db
        .select({ id: auditLog.subjectId, action: auditLog.action, detail: auditLog.detail })
        .from(auditLog)
        .where(
          and(
            inArray(auditLog.subjectId, requestIds),
            inArray(auditLog.action, ['request.reminded', 'request.escalated']),
          ),
        );
    // Mid-run: the child holds the blocked job and has sent other reminders, not yet all of them.
    await expect
      .poll(
        async () => ({
          active: await (await t.app.queues.timers.getJob(blockedJob))?.getState(),
          sent: (await reminded()).length > 0,
        }),
        { timeout: 20_000, interval: 100 },
      )
      .toEqual({ active: 'active', sent: true });
    child.kill('SIGKILL');
    await new Promise((r) => child!.once('exit', r));
    expect(worker.stderr()).not.toMatch(/error/i);
    await lock.release();

    // A second worker (this process) takes up the dead worker's job once its lock expires.
    const workers = await startWorkers(t.app);
    const stalled: string[] = [];
    for (const w of workers) w.on('stalled', (id) => stalled.push(id));
    await expect
      .poll(
        async () => {
          const rows = await reminded();
          return requestIds.every(
            (id) =>
              rows.some((r) => r.id === id && r.action === 'request.reminded') &&
              rows.some((r) => r.id === id && r.action === 'request.escalated'),
          );
        },
        { timeout: 20_000, interval: 200 },
      )
      .toBe(true);
    expect(stalled).toContain(blockedJob);

    // Each reminder (by its number) and each escalation went out once: the killed job's retry found
    // a stale version token, or redid a transaction that had rolled back. (The bar is "at most one
    // duplicate"; the version token makes it none.)
    const rows = await reminded();
    const counts = new Map<string, number>();
    for (const r of rows) {
      const key = `${r.id}:${r.action}:${(r.detail as { reminder?: number }).reminder ?? ''}`;
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    expect(Math.max(...counts.values())).toBe(1);
  }, 60_000);
});

describe('SIGTERM to a worker process', () => {
  let t: TestApp;
  let policyFile: string;
  let child: ChildProcess | undefined;
  beforeAll(async () => {
    policyFile = writePolicyFile(timings);
    t = await startTestApp({
      listen: false,
      policy: secondsPolicy(timings),
      env: stalledRecovery,
      consoleWrite: () => {},
    });
    await makeTeam(t.db.storage.db, { leadCode: null });
    await makeStaff(t.db.storage.db, 'cm-ali', 'case_manager');
  });
  afterAll(() => {
    child?.kill('SIGKILL');
    unlinkSync(policyFile);
  });

  it('lets the active job finish, then exits cleanly', async () => {
    await makeCase(t.db.storage.db, 'X600001');
    const { requestId } = await t.app.services.refer(as('cm-ali'), { crn: 'X600001', reason: 'Disclosure' });
    const lock = await holdRowLock(t, requestId);
    const worker = spawnWorker(t, policyFile);
    child = worker.child;
    await untilActive(t, jobIds.timer({ subject: 'request', id: requestId, version: 1 }));
    const exited = new Promise<number | null>((r) => child!.once('exit', (code) => r(code)));
    child.kill('SIGTERM');
    // Still running: worker.close() waits for the job, which waits for the row lock.
    const early = await Promise.race([exited, new Promise((r) => setTimeout(() => r('running'), 500))]);
    expect(early).toBe('running');
    await lock.release();
    expect(await exited).toBe(0);
    const audits = await t.db.storage.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.subjectId, requestId), eq(auditLog.action, 'request.reminded')));
    expect(audits).toHaveLength(1);
  }, 60_000);
});
