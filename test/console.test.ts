import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { actions, auditLog, oversightRecords, oversightRequests } from '../db/schema/index.ts';
import { runCli } from './support/cli.ts';
import { createTestDatabase, type TestDatabase } from './support/database.ts';
import { daysFromToday } from './support/dates.ts';
import { testEnvironment } from './support/environment.ts';
import { makeCase, makeStaff, makeTeam } from './support/factories.ts';
import { uniqueName } from './support/names.ts';
import { dropRedisPrefix } from './support/redis.ts';

const bin = resolve(import.meta.dirname, '../bin/oversight.js');

describe('console mode (no chat credentials)', () => {
  let db: TestDatabase;
  const prefix = `{${uniqueName('t')}}`;
  beforeAll(async () => {
    db = await createTestDatabase();
    await makeTeam(db.storage.db, { slackChannel: null, leadCode: null });
    await makeStaff(db.storage.db, 'mgr-sam', 'manager', { name: 'Sam Reed' });
    await makeStaff(db.storage.db, 'cm-ali', 'case_manager', { name: 'Ali Shah' });
    await makeCase(db.storage.db, 'X123456', { rosh: 'LOW' });
  });
  afterAll(async () => {
    await dropRedisPrefix(prefix);
    await db.drop();
  });

  it('refer → ack → record → done → confirm, typed at the prompt of `oversight start`', async () => {
    const script = [
      '/oversight refer X123456 before choosing who I am',
      'as cm-ali',
      '/oversight refer X123456 disclosure at home visit <!channel>',
      'ack X123456',
      'as mgr-sam',
      'ack X123456',
      // Leaving the form stores nothing.
      'record X123456',
      'i',
      'cancel',
      // Each answer is checked as it is typed; a wrong one is asked again and the others are kept.
      'record X123456',
      'excellent',
      'i',
      'Safety plan out of date',
      's',
      '',
      'n',
      '',
      'n',
      '',
      'Plan not revised',
      '   ',
      'Revise before next contact',
      '',
      'case discussion',
      'Revise the safety plan',
      'Ali Shah',
      'next week',
      daysFromToday(60),
      '',
      'as cm-ali',
      'done A1 plan revised',
      'as mgr-sam',
      'confirm A1',
      'quit',
    ].join('\n');
    const child = spawn(process.execPath, [bin, 'start'], {
      env: {
        PATH: process.env.PATH ?? '',
        DATABASE_URL: db.url,
        REDIS_URL: testEnvironment().redisUrl,
        REDIS_PREFIX: prefix,
        PORT: '0',
        HOST: '127.0.0.1',
        LOG_LEVEL: 'silent',
      },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (d) => {
      out += d;
    });
    child.stderr.on('data', (d) => {
      out += d;
    });
    const exited = new Promise<number | null>((done) => child.on('close', (code) => done(code)));
    child.stdin.end(`${script}\n`);
    await expect.poll(() => out, { timeout: 30_000, interval: 200 }).toMatch(/A1 \(X123456\) is confirmed/);
    // The notice printed as readable text, not JSON, and updated to closed.
    await expect
      .poll(() => out, { timeout: 15_000, interval: 200 })
      .toMatch(/NOTICE UPDATED · X123456 .* CLOSED/);
    child.kill('SIGTERM');
    expect(await exited).toBe(0);

    expect(out).toMatch(/Console mode/);
    expect(out).toMatch(/Choose who you are first/);
    expect(out).toMatch(/OVERSIGHT NOTICE · X123456 · youth · team YOT-N/);
    expect(out).toMatch(/only a manager of this case's team can acknowledge/);
    expect(out).toMatch(/Rationale is required/);
    expect(out).toMatch(/Victims protected: choose sufficient, insufficient or not applicable/);
    expect(out).toMatch(/Due date must be a date/);
    expect(out).toMatch(/Left the record form for X123456; nothing was saved/);
    expect(out).not.toMatch(/^\s*\{"/m);

    const [request] = await db.storage.db
      .select()
      .from(oversightRequests)
      .where(eq(oversightRequests.crn, 'X123456'));
    expect(request).toMatchObject({ status: 'closed', acknowledgedBy: 'mgr-sam' });
    const records = await db.storage.db.select().from(oversightRecords);
    expect(records).toHaveLength(1);
    expect(records[0]).toMatchObject({
      rationale: 'Revise before next contact',
      evidence: ['case_discussion'],
    });
    const [action] = await db.storage.db.select().from(actions);
    expect(action).toMatchObject({
      ref: 'A1',
      status: 'confirmed',
      doneEvidence: 'plan revised',
      confirmedBy: 'mgr-sam',
    });
    const consoleRows = await db.storage.db.select().from(auditLog).where(eq(auditLog.surface, 'console'));
    expect(consoleRows.map((r) => r.action)).toEqual(
      expect.arrayContaining([
        'request.opened',
        'request.acknowledge.refused',
        'request.acknowledged',
        'record.created',
        'action.confirmed',
      ]),
    );
  });

  it('`oversight demo` runs the whole loop on the embedded database and shows every step', async () => {
    const result = await runCli(['demo'], { REDIS_URL: testEnvironment().redisUrl });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    for (const step of [
      '1. A morning of case events',
      '2. A referral',
      '3. Nobody has acknowledged X200001',
      '4. Acknowledge',
      '5. Record oversight',
      '6. A reminder',
      '7. Done, with evidence',
      '8. Confirm',
      '9. The daily digest',
      '10. The record',
    ]) {
      expect(result.stdout).toContain(step);
    }
    expect(result.stdout).toMatch(/OVERSIGHT NOTICE · X100001/);
    expect(result.stdout).toMatch(/REMINDER to Ali Shah/);
    expect(result.stdout).toMatch(/A\d+ \(X100001\) is confirmed/);
    expect(result.stdout).toMatch(/DIGEST to Lee Grant/);
  }, 120_000);
});
