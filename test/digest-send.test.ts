import type { Job, Worker } from 'bullmq';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../db/client.ts';
import { auditLog, deliveries } from '../db/schema/index.ts';
import { startDigestWorkers } from '../jobs/digest.ts';
import type { App } from '../src/app.ts';
import { cliActor, systemActor } from '../src/context.ts';
import { sendDigest, sendDigests } from '../src/digests/index.ts';
import { connectRedis } from '../src/redis.ts';
import { insertAction } from './digest-fixtures.ts';
import { startTestApp } from './support/app.ts';
import { daysFromToday } from './support/dates.ts';
import { makeStaff, makeTeam } from './support/factories.ts';

// The app's clock, fixed for the file: now, as the test runs.
const now = new Date();

describe('sending digests to team leads', () => {
  let app: App;
  let db: Database;
  const workers: Worker[] = [];
  let connection: ReturnType<typeof connectRedis> | undefined;

  beforeAll(async () => {
    const t = await startTestApp({ listen: false, now: () => now });
    app = t.app;
    db = t.db.storage.db;
    await makeTeam(db, { code: 'YOT-N', leadCode: 'tl-kim' });
    await makeStaff(db, 'tl-kim', 'team_lead', { name: 'Kim Lowe', slackUserId: 'U0KIM' });
    await makeStaff(db, 'cm-ali', 'case_manager', { name: 'Ali Shah' });
    await makeStaff(db, 'mgr-sam', 'manager', { name: 'Sam Reed' });
    await makeTeam(db, { code: 'YOT-S', name: 'South YOT', slackChannel: 'C0SOUTH', leadCode: 'tl-sue' });
    await makeStaff(db, 'tl-sue', 'team_lead', { teamCode: 'YOT-S', name: 'Sue Park' });
    await makeTeam(db, { code: 'NO-LEAD', name: 'No lead', leadCode: null });
    await makeTeam(db, { code: 'GHOST-LEAD', name: 'Lead not in directory', leadCode: 'tl-ghost' });
    // A bad row the directory would refuse: rendering its dates throws.
    await makeTeam(db, {
      code: 'BAD-TZ',
      name: 'Bad timezone',
      timezone: 'Mars/Olympus',
      leadCode: 'tl-bad',
    });
    await makeStaff(db, 'tl-bad', 'team_lead', { teamCode: 'BAD-TZ' });
    await insertAction(db, 'YOT-N', { due: daysFromToday(-4, 'Europe/London', now) });
  });
  afterAll(async () => {
    await Promise.all(workers.map((w) => w.close()));
    connection?.disconnect();
  });

  const digestRows = (target: string) =>
    db
      .select()
      .from(deliveries)
      .where(and(eq(deliveries.kind, 'direct'), eq(deliveries.target, target)));

  it('queues the digest to the lead by direct message, with an audit row of counts', async () => {
    const sent = await sendDigest(app.deps, cliActor, 'YOT-N');
    expect(sent).toMatchObject({ teamCode: 'YOT-N', lead: 'tl-kim', queued: 1, duplicate: false });
    expect(sent.counts.overdue).toBe(1);
    const [row] = await digestRows('tl-kim');
    expect(row).toMatchObject({ platform: 'console', teamCode: 'YOT-N', status: 'queued' });
    expect(row?.payload).toMatchObject({
      kind: 'digest',
      lines: expect.arrayContaining(['Overdue actions (1)']),
    });
    const audits = await db.select().from(auditLog).where(eq(auditLog.action, 'digest.sent'));
    expect(audits).toEqual([
      expect.objectContaining({ actor: 'cli', surface: 'cli', subjectType: 'team', subjectId: 'YOT-N' }),
    ]);
    expect(audits[0]?.detail).toMatchObject({ to: 'tl-kim', counts: { overdue: 1, watch: 0 } });
  });

  it('a scheduled run retried with the same key sends once', async () => {
    const first = await sendDigest(app.deps, systemActor, 'YOT-S', { dedupeKey: 'digest:run-1' });
    const again = await sendDigest(app.deps, systemActor, 'YOT-S', { dedupeKey: 'digest:run-1' });
    expect(first.queued).toBe(1);
    expect(again).toMatchObject({ queued: 0, duplicate: true });
    expect(await digestRows('tl-sue')).toHaveLength(1);
  });

  it('one team failing does not stop the other teams’ digests', async () => {
    const before = { kim: (await digestRows('tl-kim')).length, sue: (await digestRows('tl-sue')).length };
    const outcomes = await sendDigests(app.deps, systemActor, [
      'NO-LEAD',
      'YOT-N',
      'BAD-TZ',
      'GHOST-LEAD',
      'UNKNOWN',
      'YOT-S',
    ]);
    expect(outcomes.map((o) => [o.teamCode, o.ok])).toEqual([
      ['NO-LEAD', false],
      ['YOT-N', true],
      ['BAD-TZ', false],
      ['GHOST-LEAD', false],
      ['UNKNOWN', false],
      ['YOT-S', true],
    ]);
    const errors = Object.fromEntries(outcomes.flatMap((o) => (o.ok ? [] : [[o.teamCode, o.error.message]])));
    expect(errors['NO-LEAD']).toMatch(/no active team lead/);
    expect(errors['GHOST-LEAD']).toMatch(/no active team lead/);
    expect(errors.UNKNOWN).toMatch(/unknown team UNKNOWN/);
    expect(errors['BAD-TZ']).toMatch(/time ?zone/i);
    expect(await digestRows('tl-kim')).toHaveLength(before.kim + 1);
    expect(await digestRows('tl-sue')).toHaveLength(before.sue + 1);
    expect(await digestRows('tl-bad')).toHaveLength(0);
  });

  it('the digest worker sends each scheduled team on its own; a team with no lead fails alone', async () => {
    connection = connectRedis(app.config.redisUrl, 'worker');
    workers.push(...(await startDigestWorkers(app, connection)));
    const finished = new Map<string, string>();
    for (const w of workers) {
      w.on('completed', (job) => finished.set(job.id!, 'completed'));
      w.on('failed', (job) => job && finished.set(job.id!, 'failed'));
    }
    const before = (await digestRows('tl-kim')).length;
    const [bad, good] = await app.queues.digest.addBulk([
      { name: 'digest', data: { teamCode: 'NO-LEAD' }, opts: { attempts: 3 } },
      { name: 'digest', data: { teamCode: 'YOT-N' } },
    ]);
    expect(await settled(finished, bad!)).toBe('failed');
    expect(await settled(finished, good!)).toBe('completed');
    const failed = await app.queues.digest.getJob(bad!.id!);
    // Unrecoverable: a team with no lead would fail the same way on every retry.
    expect(failed?.attemptsMade).toBe(1);
    expect(await digestRows('tl-kim')).toHaveLength(before + 1);
  });

  it('/oversight digest answers a manager with the team digest, and refuses a case manager', async () => {
    const reply = await app.services.digestFor({ staffCode: 'mgr-sam', surface: 'slack' });
    expect(reply).toMatchObject({
      ok: true,
      title: expect.stringMatching(/^Digest for North YOT \(YOT-N\)/),
    });
    expect(reply.text).toBe(reply.title);
    expect(reply.lines).toContain('Overdue actions (1)');

    const refused = await app.services.digestFor({ staffCode: 'cm-ali', surface: 'slack' });
    expect(refused).toMatchObject({ ok: false, text: expect.stringMatching(/managers and team leads/) });
    const [audit] = await db.select().from(auditLog).where(eq(auditLog.action, 'digest.read.refused'));
    expect(audit).toMatchObject({ actor: 'cm-ali', subjectId: 'YOT-N' });

    const stranger = await app.services.digestFor({ staffCode: 'nobody', surface: 'msteams' });
    expect(stranger).toMatchObject({ ok: false, text: expect.stringMatching(/don't know you/) });
  });
});

/** Waits for a job to finish, either way (completed jobs are removed, so the worker's events tell). */
async function settled(finished: Map<string, string>, job: Job): Promise<string> {
  // Up to 20 s: a poll, not a bound on speed, so a slow shared machine only makes it wait longer.
  for (let i = 0; i < 800; i++) {
    const state = finished.get(job.id!);
    if (state) return state;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`job ${job.id} did not finish`);
}
