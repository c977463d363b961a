import { and, eq, sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { actions, auditLog, deliveries, oversightRequests, staff } from '../db/schema/index.ts';
import { startWorkers } from '../jobs/workers.ts';
import { firstActionTimer } from '../src/actions/plan.ts';
import { type Actor, cliActor } from '../src/context.ts';
import { loadDirectory } from '../src/directory/index.ts';
import { secondsPolicy } from './reminders-support.ts';
import { startTestApp, type TestApp } from './support/app.ts';
import { runCli } from './support/cli.ts';
import { daysFromToday } from './support/dates.ts';
import { makeCase, makeStaff, makeTeam, notApplicableAssurances } from './support/factories.ts';
import type { SlackCall } from './support/fake-slack.ts';
import { eventually, type SlackHarness, startSlackHarness } from './support/slack-harness.ts';
import { buttonPressBody, slashCommandBody } from './support/slack-sign.ts';

const text = (call: SlackCall | undefined) => JSON.stringify(call?.body ?? {});
const leftWords = 'your access to oversight has ended';

/** The harness's directory as a file, with Jo Hale marked as having left. */
const directoryWithJoLeft = `teams:
  - { code: YOT-N, name: North YOT, service: youth, timezone: Europe/London, lead: tl-kim, slack: { channel: C0MANAGERS } }
staff:
  - { code: mgr-sam, name: Sam Reed, role: manager, team: YOT-N, grade: SPO, slack: { user: U0SAM } }
  - { code: mgr-jo, name: Jo Hale, role: manager, team: YOT-N, grade: SPO, slack: { user: U0JO }, active: false }
  - { code: cm-ali, name: Ali Shah, role: case_manager, team: YOT-N, grade: PO, slack: { user: U0ALI } }
  - { code: tl-kim, name: Kim Lowe, role: team_lead, team: YOT-N, grade: SPO, slack: { user: U0KIM } }
`;

describe('leavers on Slack', () => {
  let h: SlackHarness;
  beforeAll(async () => {
    h = await startSlackHarness();
  });
  const db = () => h.t.db.storage.db;
  const refusals = (staffCode: string) =>
    db()
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, 'access.refused'), eq(auditLog.actor, staffCode)));

  it('someone loaded with active: false is refused, politely, on a button and a command, and audited', async () => {
    const ctx = { db: db(), actor: cliActor, now: () => new Date() };
    const first = await loadDirectory(ctx, { name: 'directory.yaml', text: directoryWithJoLeft });
    expect(first.deactivated.map((d) => d.code)).toEqual(['mgr-jo']);
    const [jo] = await db().select().from(staff).where(eq(staff.code, 'mgr-jo'));
    expect(jo?.active).toBe(false);

    const requestId = await h.raise('X210001');
    await h.post(
      buttonPressBody({
        userId: 'U0JO',
        actionId: 'oversight_acknowledge',
        value: requestId,
        responseUrl: h.fake.responseUrl('ack-leaver'),
      }),
    );
    const reply = await eventually(() =>
      h.fake.calls.find((c) => c.method === 'respond' && text(c).includes(leftWords)),
    );
    expect(reply.body).toMatchObject({ response_type: 'ephemeral' });
    const [request] = await db().select().from(oversightRequests).where(eq(oversightRequests.id, requestId));
    expect(request?.status).toBe('open');

    await h.post(
      slashCommandBody({ userId: 'U0JO', text: 'help', responseUrl: h.fake.responseUrl('cmd-leaver') }),
    );
    await eventually(
      () => h.fake.calls.filter((c) => c.method === 'respond' && text(c).includes(leftWords)).length === 2,
    );
    expect(await refusals('mgr-jo')).toMatchObject([
      { surface: 'slack', subjectId: 'mgr-jo', detail: { attempt: 'acknowledge', reason: 'deactivated' } },
      { surface: 'slack', subjectId: 'mgr-jo', detail: { attempt: 'command', reason: 'deactivated' } },
    ]);

    // Loading the same file again changes nothing: no update, no second hand-over.
    const auditBefore = (await db().select().from(auditLog)).length;
    const second = await loadDirectory(ctx, { name: 'directory.yaml', text: directoryWithJoLeft });
    expect(second.staff).toEqual({ created: 0, updated: 0, unchanged: 4 });
    expect(second.deactivated).toEqual([]);
    expect((await db().select().from(auditLog)).length).toBe(auditBefore);
  });
});

// Policy timings in seconds: the same code paths as days, in a test that takes seconds.
const policy = secondsPolicy({
  acknowledgeWithin: '1h',
  escalateUnacknowledgedAfter: '2h',
  remindBeforeDue: '2s',
  repeatOverdueEvery: '1s',
  escalateOverdueAfter: '1h',
  remindAwaitingConfirmationEvery: '1s',
  noOversightWithin: '1d',
});
const as = (staffCode: string): Actor => ({ staffCode, surface: 'slack' });

describe('staff deactivate: open work goes to the team lead, and a leaver is sent nothing', () => {
  let t: TestApp;
  let env: Record<string, string>;
  let crn = 220000;
  beforeAll(async () => {
    t = await startTestApp({
      listen: false,
      policy,
      roles: { web: false, worker: true },
      consoleWrite: () => {},
    });
    const db = t.db.storage.db;
    await makeTeam(db, { leadCode: 'tl-kim' });
    await makeStaff(db, 'mgr-sam', 'manager');
    await makeStaff(db, 'cm-ali', 'case_manager', { name: 'Ali Shah' });
    await makeStaff(db, 'tl-kim', 'team_lead', { name: 'Kim Lowe' });
    await makeTeam(db, { code: 'YOT-S', name: 'South YOT', leadCode: 'tl-sue' });
    await makeStaff(db, 'mgr-max', 'manager', { teamCode: 'YOT-S' });
    await makeStaff(db, 'cm-bo', 'case_manager', { teamCode: 'YOT-S' });
    await makeStaff(db, 'tl-sue', 'team_lead', { name: 'Sue Park', teamCode: 'YOT-S' });
    await startWorkers(t.app);
    env = { DATABASE_URL: t.db.url, REDIS_URL: t.config.redisUrl, REDIS_PREFIX: t.config.redisPrefix };
  });
  const db = () => t.db.storage.db;

  /** An action owned by `owner`, becoming overdue in `overdueInMs` (its timer moved to match). */
  async function action(team: string, manager: string, owner: string, overdueInMs: number) {
    const c = `X${++crn}`;
    await makeCase(db(), c, { teamCode: team, caseManagerCode: team === 'YOT-N' ? 'cm-ali' : 'cm-bo' });
    const caseManager = team === 'YOT-N' ? 'cm-ali' : 'cm-bo';
    const { requestId } = await t.app.services.refer(as(caseManager), { crn: c, reason: 'Disclosure' });
    const recorded = await t.app.services.record(as(manager), {
      requestId,
      assurances: notApplicableAssurances,
      rationale: 'Safety plan must be revised',
      actions: [{ description: 'Revise the safety plan', owner, due: daysFromToday(30) }],
    });
    const { id, ref } = recorded.actions[0]!;
    await dueIn(id, overdueInMs);
    return { id, ref };
  }
  /** Moves an action's overdue instant to `inMs` from now, with its timer, as the reminders tests do. */
  async function dueIn(id: string, inMs: number): Promise<void> {
    const overdueFrom = new Date(Date.now() + inMs);
    const nextDueAt = firstActionTimer(
      { status: 'open', overdueFrom, doneAt: null, reminderCount: 0, escalatedAt: null },
      policy.timings,
      new Date(),
    );
    const [row] = await db()
      .update(actions)
      .set({ overdueFrom, nextDueAt, reminderCount: 0, version: sql`${actions.version} + 1` })
      .where(eq(actions.id, id))
      .returning();
    await t.app.deps.scheduler.timers([
      { payload: { subject: 'action', id, version: row!.version }, at: nextDueAt! },
    ]);
  }
  const directs = (actionId: string) =>
    db()
      .select()
      .from(deliveries)
      .where(and(eq(deliveries.actionId, actionId), eq(deliveries.kind, 'direct')));

  it('reassigns the leaver’s open actions to the team lead, audited, and the lead gets the next reminder', async () => {
    // Overdue in a minute: its first reminder (2 s before) is far enough off to deactivate first.
    const a = await action('YOT-N', 'mgr-sam', 'cm-ali', 60_000);
    const result = await runCli(['staff', 'deactivate', 'cm-ali'], env);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('Ali Shah (cm-ali, team YOT-N) is deactivated');
    expect(result.stdout).toContain(`1 open action handed over to Kim Lowe, the team lead: ${a.ref}`);

    const [row] = await db().select().from(actions).where(eq(actions.id, a.id));
    expect(row?.ownerCode).toBe('tl-kim');
    const [audited] = await db()
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.subjectId, a.id), eq(auditLog.action, 'action.reassigned')));
    expect(audited).toMatchObject({
      actor: 'cli',
      surface: 'cli',
      detail: { ref: a.ref, from: 'cm-ali', to: 'tl-kim', reason: 'owner deactivated' },
    });

    // The timer follows the new owner: brought forward, the reminder goes to the lead, not the leaver.
    await dueIn(a.id, 2_500);
    await expect
      .poll(async () => (await directs(a.id)).map((d) => d.target), { timeout: 10_000 })
      .toContain('tl-kim');
    expect((await directs(a.id)).map((d) => d.target)).not.toContain('cm-ali');

    const again = await runCli(['staff', 'deactivate', 'cm-ali'], env);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('already deactivated');
  });

  it('a deactivated team lead keeps their actions (the CLI says so) and is sent no reminder', async () => {
    const a = await action('YOT-S', 'mgr-max', 'tl-sue', 60_000);
    const result = await runCli(['staff', 'deactivate', 'tl-sue'], env);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`left with them, because they are the team lead: ${a.ref}`);
    // The reminder fires (audited: the positive signal) and goes to no one.
    await dueIn(a.id, 2_500);
    await expect
      .poll(
        async () =>
          db()
            .select()
            .from(auditLog)
            .where(and(eq(auditLog.subjectId, a.id), eq(auditLog.action, 'action.reminded'))),
        { timeout: 10_000 },
      )
      .toHaveLength(1);
    const [audit] = await db()
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.subjectId, a.id), eq(auditLog.action, 'action.reminded')));
    expect(audit?.detail).toMatchObject({ to: ['tl-sue'], deliveries: 0 });
    expect(await directs(a.id)).toEqual([]);
  });

  it('unknown staff codes are refused with exit code 1', async () => {
    const result = await runCli(['staff', 'deactivate', 'nobody-here'], env);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('No staff member nobody-here in the directory');
  });
});
