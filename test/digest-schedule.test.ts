import { eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../db/client.ts';
import { staff, teams } from '../db/schema/index.ts';
import { jobIds, type Queues } from '../jobs/queues.ts';
import { digestCron, digestSchedule, nextDigestRuns, syncDigestSchedulers } from '../src/digests/index.ts';
import { startTestApp } from './support/app.ts';
import { makeStaff, makeTeam } from './support/factories.ts';

const weekdays = ['mon', 'tue', 'wed', 'thu', 'fri'];
const london = { pattern: digestCron('08:30', weekdays), tz: 'Europe/London' };
const iso = (dates: Date[]) => dates.map((d) => d.toISOString());
const localTime = (d: Date, tz: string) =>
  new Intl.DateTimeFormat('en-GB', {
    timeZone: tz,
    weekday: 'short',
    hour: '2-digit',
    minute: '2-digit',
  }).format(d);

describe('digest schedule times', () => {
  it('turns a digest time and days into a cron pattern with seconds', () => {
    expect(digestCron('08:30', weekdays)).toBe('0 30 8 * * 1-5');
    expect(digestCron('07:05', ['sat', 'sun'])).toBe('0 5 7 * * 0,6');
    expect(digestCron('17:00', ['fri', 'mon', 'wed', 'mon'])).toBe('0 0 17 * * 1,3,5');
    expect(digestCron('00:00', ['sun', 'mon', 'tue', 'thu'])).toBe('0 0 0 * * 0-2,4');
  });

  it('runs at 08:30 London time on weekdays across the March 2026 clock change', () => {
    // Clocks go forward at 01:00 UTC on Sunday 29 March 2026: 08:30 GMT becomes 08:30 BST.
    const runs = nextDigestRuns(london, new Date('2026-03-26T12:00:00Z'), 4);
    expect(iso(runs)).toEqual([
      '2026-03-27T08:30:00.000Z', // Fri, GMT
      '2026-03-30T07:30:00.000Z', // Mon, BST
      '2026-03-31T07:30:00.000Z',
      '2026-04-01T07:30:00.000Z',
    ]);
  });

  it('runs at 08:30 London time on weekdays across the October 2026 clock change', () => {
    // Clocks go back at 01:00 UTC on Sunday 25 October 2026.
    const runs = nextDigestRuns(london, new Date('2026-10-22T12:00:00Z'), 3);
    expect(iso(runs)).toEqual([
      '2026-10-23T07:30:00.000Z', // Fri, BST
      '2026-10-26T08:30:00.000Z', // Mon, GMT
      '2026-10-27T08:30:00.000Z',
    ]);
  });

  it('is 08:30 local on every weekday of 2026 and never at a weekend', () => {
    const runs = nextDigestRuns(london, new Date('2025-12-31T23:59:59Z'), 262);
    const in2026 = runs.filter((d) => d.getUTCFullYear() === 2026);
    expect(in2026).toHaveLength(261);
    for (const run of in2026)
      expect(localTime(run, 'Europe/London')).toMatch(/^(Mon|Tue|Wed|Thu|Fri) 08:30$/);
  });
});

describe('digest job schedulers', () => {
  let db: Database;
  let queues: Queues;
  const scheduler = (code: string) => queues.digest.getJobScheduler(jobIds.digestScheduler(code));

  beforeAll(async () => {
    const t = await startTestApp({ listen: false });
    db = t.db.storage.db;
    queues = t.app.queues;
    await makeTeam(db, { code: 'YOT-N', leadCode: 'tl-kim' });
    await makeStaff(db, 'tl-kim', 'team_lead');
    await makeTeam(db, {
      code: 'ADULT-E',
      timezone: 'America/New_York',
      leadCode: 'tl-ed',
      digestAt: '07:15',
    });
    await makeStaff(db, 'tl-ed', 'team_lead', { teamCode: 'ADULT-E' });
    await makeTeam(db, { code: 'NO-LEAD', leadCode: null });
  });

  it('has one scheduler per team with a lead, at its local digest time in its timezone', async () => {
    const result = await syncDigestSchedulers(db, queues);
    expect(result.upserted.sort()).toEqual(['ADULT-E', 'YOT-N']);
    const yot = await scheduler('YOT-N');
    expect(yot).toMatchObject({
      pattern: '0 30 8 * * 1-5',
      tz: 'Europe/London',
      template: { data: { teamCode: 'YOT-N' } },
    });
    // BullMQ's next run is the one cron-parser computes for the same pattern and timezone.
    const [next] = nextDigestRuns(london, new Date(), 1);
    expect(yot?.next).toBe(next!.getTime());
    expect(await scheduler('ADULT-E')).toMatchObject({ pattern: '0 15 7 * * 1-5', tz: 'America/New_York' });
    expect(await scheduler('NO-LEAD')).toBeUndefined();
  });

  it('leaves unchanged schedulers alone and follows a new time or timezone', async () => {
    const again = await syncDigestSchedulers(db, queues);
    expect(again).toMatchObject({ upserted: [], removed: [] });
    await db
      .update(teams)
      .set({ digestAt: '09:00', digestDays: ['mon', 'wed'], timezone: 'Europe/Dublin' })
      .where(eq(teams.code, 'YOT-N'));
    const changed = await syncDigestSchedulers(db, queues, ['YOT-N']);
    expect(changed.upserted).toEqual(['YOT-N']);
    const row = await db.select().from(teams).where(eq(teams.code, 'YOT-N'));
    expect(await scheduler('YOT-N')).toMatchObject(digestSchedule(row[0]!));
    expect(await scheduler('YOT-N')).toMatchObject({ pattern: '0 0 9 * * 1,3', tz: 'Europe/Dublin' });
  });

  it('removes the scheduler of a team whose lead left, and of a team that no longer exists', async () => {
    await queues.digest.upsertJobScheduler(jobIds.digestScheduler('GONE'), london, {
      name: 'digest',
      data: { teamCode: 'GONE' },
    });
    await db.update(staff).set({ active: false }).where(eq(staff.code, 'tl-ed'));
    // Syncing named teams touches only those teams.
    const partial = await syncDigestSchedulers(db, queues, ['ADULT-E']);
    expect(partial).toMatchObject({ upserted: [], removed: ['ADULT-E'] });
    expect(await scheduler('GONE')).toBeDefined();
    // A full sync (the reconciler) removes what no team needs.
    const full = await syncDigestSchedulers(db, queues);
    expect(full.removed).toEqual(['GONE']);
    const left = await queues.digest.getJobSchedulers(0, -1);
    expect(left.map((s) => s.key)).toEqual([jobIds.digestScheduler('YOT-N')]);
  });
});
