import { eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../db/client.ts';
import { staff } from '../db/schema/index.ts';
import type { MessageView } from '../src/chat/views.ts';
import { buildDigest, DIGEST_LINE_MAX, renderDigest } from '../src/digests/index.ts';
import { loadPolicy } from '../src/policy/index.ts';
import { insertAction, insertCase, insertDelivery, insertRequest } from './digest-fixtures.ts';
import { startTestApp } from './support/app.ts';
import { daysFromToday } from './support/dates.ts';
import { makeStaff, makeTeam } from './support/factories.ts';

// Monday 30 March 2026, 08:30 in London (BST, the day after the clocks went forward).
const now = new Date('2026-03-30T07:30:00Z');
const hours = (n: number) => new Date(now.getTime() + n * 3_600_000);
const days = (n: number) => hours(24 * n);
/** The London date `n` days from the digest's day (negative: before it). */
const day = (n: number) => daysFromToday(n, 'Europe/London', now);
const policy = loadPolicy();

const headings = {
  raisedRisk: /^No oversight recorded within 5d \(/,
  unacknowledged: /^Notices not acknowledged \(/,
  unrecorded: /^Acknowledged, no oversight recorded yet \(/,
  overdue: /^Overdue actions \(/,
  failed: /^Messages not delivered \(/,
  awaiting: /^Actions awaiting confirmation \(/,
  watch: /^Watch list \(/,
} as const;
type Name = keyof typeof headings;

describe('the daily digest of a team', () => {
  let db: Database;
  let teamNo = 0;

  async function team(code: string, overrides: Parameters<typeof makeTeam>[1] = {}): Promise<string> {
    teamNo++;
    await makeTeam(db, { code, name: `Team ${code}`, leadCode: `tl-${teamNo}`, ...overrides });
    await makeStaff(db, `tl-${teamNo}`, 'team_lead', { teamCode: code, name: `Lead ${teamNo}` });
    return code;
  }
  const digestOf = async (code: string): Promise<MessageView> =>
    renderDigest(await buildDigest(db, code, { now, timings: policy.timings }));
  const sectionsOf = (view: MessageView): Name[] =>
    (Object.keys(headings) as Name[]).filter((name) => view.lines.some((l) => headings[name].test(l)));

  beforeAll(async () => {
    const t = await startTestApp({ listen: false });
    db = t.db.storage.db;
    await makeTeam(db, { leadCode: null });
    await makeStaff(db, 'cm-ali', 'case_manager', { name: 'Ali Shah' });
    await makeStaff(db, 'mgr-sam', 'manager', { name: 'Sam Reed' });
  });

  it('an empty digest is one line: nothing overdue', async () => {
    const view = await digestOf(await team('EMPTY'));
    expect(view.title).toBe('Digest for Team EMPTY (EMPTY), Mon 30 Mar: nothing overdue');
    expect(view.lines).toEqual([]);
  });

  // Each section: a team where its condition holds shows it (and only it); a team with the
  // near misses shows nothing at all.
  const sections: Array<{
    name: Name;
    holds: (code: string) => Promise<void>;
    nearMisses: (code: string) => Promise<void>;
    item: RegExp;
  }> = [
    {
      name: 'overdue',
      holds: async (code) => void (await insertAction(db, code, { due: day(-3) })),
      nearMisses: async (code) => {
        await insertAction(db, code, { due: day(0) }); // due today: overdue from tomorrow
        await insertAction(db, code, { due: day(-29), status: 'confirmed', doneAt: days(-20) });
        await insertAction(db, code, { due: day(-29), status: 'cancelled' });
      },
      item: /^• A\d+ · D\d{6} · Ali Shah · 3 days overdue$/,
    },
    {
      name: 'unacknowledged',
      holds: async (code) =>
        void (await insertRequest(db, code, {
          status: 'open',
          acknowledgeBy: hours(-2),
          openedAt: days(-1),
        })),
      nearMisses: async (code) => {
        await insertRequest(db, code, { status: 'recorded', acknowledgeBy: days(-3) });
        await insertRequest(db, code, { status: 'closed', acknowledgeBy: days(-3) });
      },
      item: /^• D\d{6} · OVERDUE · opened 1 day ago$/,
    },
    {
      name: 'unrecorded',
      holds: async (code) =>
        void (await insertRequest(db, code, {
          status: 'acknowledged',
          acknowledgeBy: hours(2),
          acknowledgedBy: 'mgr-sam',
          acknowledgedAt: hours(-3),
        })),
      nearMisses: async (code) => {
        await insertRequest(db, code, { status: 'recorded', acknowledgeBy: days(-3) });
        await insertRequest(db, code, { status: 'closed', acknowledgeBy: days(-3) });
      },
      item: /^• D\d{6} · acknowledged by Sam Reed 3 hours ago$/,
    },
    {
      name: 'awaiting',
      holds: async (code) =>
        void (await insertAction(db, code, { due: day(11), status: 'done_claimed', doneAt: days(-2) })),
      nearMisses: async (code) => {
        await insertAction(db, code, { due: day(11), status: 'confirmed', doneAt: days(-2) });
        await insertAction(db, code, { due: day(11) });
      },
      item: /^• A\d+ · D\d{6} · done by Ali Shah 2 days ago · to confirm: Sam Reed$/,
    },
    {
      name: 'watch',
      holds: async (code) =>
        void (await insertCase(db, code, { watchSince: days(-3), vulnerability: 'LOW' })),
      nearMisses: async (code) => void (await insertCase(db, code, { watchSince: null })),
      item: /^• D\d{6} · RoSH MEDIUM · vulnerability LOW · on watch 3 days$/,
    },
    {
      name: 'raisedRisk',
      holds: async (code) =>
        void (await insertCase(db, code, { rosh: 'HIGH', vulnerability: null, raisedRiskSince: days(-6) })),
      nearMisses: async (code) => {
        await insertCase(db, code, { raisedRiskSince: days(-4) }); // still within 5d
        await insertCase(db, code, { raisedRiskSince: null, lastRecordAt: days(-1) });
        await insertCase(db, code, { raisedRiskSince: days(-6), lastRecordAt: days(-1) }); // recorded since
      },
      item: /^• D\d{6} · RoSH HIGH · raised 6 days ago$/,
    },
    {
      name: 'failed',
      holds: async (code) => void (await insertDelivery(db, code, { status: 'failed', failedAt: hours(-1) })),
      nearMisses: async (code) => {
        await insertDelivery(db, code, { status: 'sent' });
        await insertDelivery(db, code, { status: 'queued' });
        await insertDelivery(db, code, { status: 'failed', failedAt: days(-8) }); // before the lookback
      },
      item: /^• notice in team channel \(slack\) · Mon 30 Mar 07:30 · channel_not_found$/,
    },
  ];

  for (const s of sections) {
    it(`shows "${s.name}" when, and only when, its condition holds`, async () => {
      const yes = await team(`${s.name}-YES`.toUpperCase());
      const no = await team(`${s.name}-NO`.toUpperCase());
      await s.holds(yes);
      await s.nearMisses(no);

      const shown = await digestOf(yes);
      expect(sectionsOf(shown)).toEqual([s.name]);
      expect(shown.lines.filter((l) => l.startsWith('• '))).toEqual([expect.stringMatching(s.item)]);
      const quiet = await digestOf(no);
      expect(quiet.lines).toEqual([]);
      expect(quiet.title).toMatch(/nothing overdue$/);
    });
  }

  it('orders the sections most urgent first, and summarises them in lines that fit a phone', async () => {
    const code = await team('ALL');
    await insertCase(db, code, { watchSince: days(-1) });
    await insertAction(db, code, { due: day(11), status: 'done_claimed', doneAt: days(-1) });
    await insertDelivery(db, code, { status: 'failed', failedAt: hours(-1) });
    await insertAction(db, code, { due: day(-10) });
    await insertRequest(db, code, { status: 'open', acknowledgeBy: hours(-1) });
    await insertRequest(db, code, {
      status: 'acknowledged',
      acknowledgeBy: hours(-1),
      acknowledgedAt: hours(-2),
    });
    await insertCase(db, code, { raisedRiskSince: days(-9) });
    const view = await digestOf(code);
    expect(sectionsOf(view)).toEqual([
      'raisedRisk',
      'unacknowledged',
      'unrecorded',
      'overdue',
      'failed',
      'awaiting',
      'watch',
    ]);
    expect(view.lines.slice(0, 2)).toEqual([
      '1 without oversight · 1 unacknowledged · 1 to record · 1 overdue · 1 undelivered · 1 to confirm',
      '1 on watch',
    ]);
    expect(view.title).toBe('Digest for Team ALL (ALL), Mon 30 Mar');
  });

  it('lists a notice raised a minute ago, after the overdue ones, which are marked', async () => {
    const code = await team('FRESH');
    const fresh = await insertRequest(db, code, {
      status: 'open',
      openedAt: hours(-1 / 60),
      acknowledgeBy: new Date(now.getTime() - 60_000 + policy.timings.acknowledgeWithin.ms),
    });
    const late = await insertRequest(db, code, {
      status: 'open',
      openedAt: days(-2),
      acknowledgeBy: days(-1),
    });
    const view = await digestOf(code);
    expect(sectionsOf(view)).toEqual(['unacknowledged']);
    expect(view.title).toBe('Digest for Team FRESH (FRESH), Mon 30 Mar');
    expect(view.lines).toEqual([
      '2 unacknowledged',
      'Notices not acknowledged (2, 1 overdue)',
      `• ${late.crn} · OVERDUE · opened 2 days ago`,
      `• ${fresh.crn} · opened 1 minute ago · acknowledge by Tue 31 Mar 08:29`,
    ]);
  });

  it('lists a notice raised a minute ago on its own, not overdue', async () => {
    const code = await team('ONLYFRESH');
    const fresh = await insertRequest(db, code, {
      status: 'open',
      openedAt: hours(-1 / 60),
      acknowledgeBy: hours(24),
    });
    const view = await digestOf(code);
    expect(view.lines).toEqual([
      '1 unacknowledged',
      'Notices not acknowledged (1)',
      `• ${fresh.crn} · opened 1 minute ago · acknowledge by Tue 31 Mar 08:30`,
    ]);
  });

  it('summarises a long list with its count and the worst items, most overdue first', async () => {
    const code = await team('LONG');
    const dues = [day(-1), day(-20), day(-5), day(-29), day(-2), day(-10), day(-3)];
    for (const due of dues) await insertAction(db, code, { due });
    const view = await digestOf(code);
    expect(view.lines[1]).toBe('Overdue actions (7, worst 5 shown)');
    const items = view.lines.slice(2);
    expect(items.map((l) => /(\d+) days? overdue/.exec(l)?.[1])).toEqual([
      '29',
      '20',
      '10',
      '5',
      '3',
      undefined,
    ]);
    expect(items.at(-1)).toBe('• … and 2 more');
  });

  it('stays short enough for a phone with every section full', async () => {
    const code = await team('FULL');
    for (let i = 0; i < 12; i++) {
      await insertAction(db, code, { due: day(-28) });
      await insertAction(db, code, { due: day(11), status: 'done_claimed', doneAt: days(-1) });
      await insertRequest(db, code, { status: 'open', acknowledgeBy: hours(-1) });
      await insertRequest(db, code, {
        status: 'acknowledged',
        acknowledgeBy: hours(-1),
        acknowledgedAt: hours(-1),
      });
      await insertCase(db, code, { watchSince: days(-1) });
      await insertCase(db, code, { raisedRiskSince: days(-9) });
      await insertDelivery(db, code, { status: 'failed', failedAt: hours(-1) });
    }
    const view = await digestOf(code);
    // A summary on two lines, then per section: a heading, five items and "… and 7 more".
    expect(view.lines).toHaveLength(2 + 7 * 7);
    expect(view.lines.filter((l) => l === '• … and 7 more')).toHaveLength(7);
    expect(view.lines).toContain('Notices not acknowledged (12, 12 overdue, worst 5 shown)');
    expect(Math.max(...view.lines.map((l) => l.length))).toBeLessThanOrEqual(DIGEST_LINE_MAX);
  });

  it('carries CRNs, refs, levels, staff names and counts, never free text', async () => {
    const code = await team('MINIMAL');
    await insertAction(db, code, { due: day(-29), description: 'SECRET action description' });
    await insertAction(db, code, {
      due: day(11),
      status: 'done_claimed',
      doneAt: days(-1),
      description: 'SECRET claimed description',
    });
    await insertCase(db, code, { watchSince: days(-1), watchReason: 'SECRET watch reason' });
    await insertDelivery(db, code, { status: 'failed', failedAt: hours(-1) });
    const text = JSON.stringify(await digestOf(code));
    expect(text).not.toMatch(/SECRET|must never reach|Rationale/);
    expect(text).toContain('Ali Shah');
  });

  it('refuses an unknown team', async () => {
    await expect(buildDigest(db, 'NOPE', { now, timings: policy.timings })).rejects.toMatchObject({
      code: 'not_found',
    });
  });

  it('reads a lead who left (inactive) as no lead', async () => {
    const code = await team('LEFT');
    const digest = await buildDigest(db, code, { now, timings: policy.timings });
    expect(digest.team.lead).toMatchObject({ name: `Lead ${teamNo}` });
    await db
      .update(staff)
      .set({ active: false })
      .where(eq(staff.code, `tl-${teamNo}`));
    const after = await buildDigest(db, code, { now, timings: policy.timings });
    expect(after.team.lead).toBeNull();
  });
});
