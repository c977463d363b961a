import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { actions, auditLog, deliveries, oversightRequests } from '../db/schema/index.ts';
import { jobIds } from '../jobs/queues.ts';
import { startWorkers } from '../jobs/workers.ts';
import { firstActionTimer } from '../src/actions/plan.ts';
import type { Actor } from '../src/context.ts';
import { secondsPolicy } from './reminders-support.ts';
import { startTestApp, type TestApp } from './support/app.ts';
import { daysFromToday } from './support/dates.ts';
import { makeCase, makeStaff, makeTeam, notApplicableAssurances } from './support/factories.ts';

// Policy timings in seconds: the same code paths as days, in a test that takes seconds.
const policy = secondsPolicy({
  acknowledgeWithin: '1s',
  escalateUnacknowledgedAfter: '2s',
  remindBeforeDue: '2s',
  repeatOverdueEvery: '1s',
  escalateOverdueAfter: '2s',
  remindAwaitingConfirmationEvery: '1s',
  noOversightWithin: '1d',
});
const as = (staffCode: string): Actor => ({ staffCode, surface: 'slack' });
const assurances = notApplicableAssurances;
const poll = { timeout: 10_000, interval: 100 };

describe('reminders and escalations, through the timers worker', () => {
  let t: TestApp;
  let crn = 300000;
  /** What the console adapter printed: the far end of the delivery worker. */
  const printed: string[] = [];
  beforeAll(async () => {
    t = await startTestApp({
      listen: false,
      policy,
      roles: { web: false, worker: true },
      consoleWrite: (text) => printed.push(text),
    });
    const db = t.db.storage.db;
    await makeTeam(db, { leadCode: 'tl-kim' });
    await makeStaff(db, 'mgr-sam', 'manager');
    await makeStaff(db, 'mgr-jo', 'manager');
    await makeStaff(db, 'cm-ali', 'case_manager');
    await makeStaff(db, 'tl-kim', 'team_lead');
    await startWorkers(t.app);
  });

  const db = () => t.db.storage.db;
  const sent = (where: { requestId?: string; actionId?: string }) =>
    db()
      .select()
      .from(deliveries)
      .where(
        where.actionId ? eq(deliveries.actionId, where.actionId) : eq(deliveries.requestId, where.requestId!),
      )
      .orderBy(asc(deliveries.createdAt));
  /**
   * Timer jobs for a row that will run within a minute (waiting, delayed or running). A superseded
   * job for a far-off time (e.g. the before-due reminder of the action as first recorded) stays
   * delayed until then, and does nothing when it runs.
   */
  const pendingTimers = async (id: string) =>
    (await t.app.queues.timers.getJobs(['wait', 'delayed', 'active', 'prioritized']))
      .filter((j) => j?.data.id === id && j.timestamp + (j.opts.delay ?? 0) < Date.now() + 60_000)
      .map((j) => j.id);

  /**
   * Waits until a timer due `ms` from now (the before-due reminder of a fresh action) has sent its
   * message: the positive sign that time has passed and the timers worker ran what was due before.
   */
  async function timerFiredAfter(ms: number): Promise<void> {
    const sentinel = await action(ms + policy.timings.remindBeforeDue.ms);
    await expect.poll(async () => (await sent({ actionId: sentinel.id })).length, poll).toBeGreaterThan(0);
  }

  async function notice(): Promise<{ requestId: string; crn: string }> {
    const c = `X${++crn}`;
    await makeCase(db(), c);
    const { requestId } = await t.app.services.refer(as('cm-ali'), { crn: c, reason: 'Disclosure' });
    return { requestId, crn: c };
  }

  /** An action on a fresh notice; due dates are calendar days, so the test moves its overdue instant. */
  async function action(overdueInMs: number) {
    const { requestId, crn: c } = await notice();
    const recorded = await t.app.services.record(as('mgr-sam'), {
      requestId,
      assurances,
      rationale: 'Safety plan must be revised',
      actions: [{ description: 'Revise the safety plan', owner: 'cm-ali', due: daysFromToday(30) }],
    });
    const { id, ref } = recorded.actions[0]!;
    const overdueFrom = new Date(Date.now() + overdueInMs);
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
    return { id, ref, requestId, crn: c };
  }

  it('an unacknowledged notice gets its thread reminder, then the team lead an escalation', async () => {
    const { requestId, crn: c } = await notice();
    await expect
      .poll(
        async () =>
          (await sent({ requestId })).map((d) => [d.kind, d.target, (d.payload as { kind: string }).kind]),
        poll,
      )
      .toEqual(
        expect.arrayContaining([
          ['thread.reply', 'team:YOT-N', 'reminder'],
          ['direct', 'tl-kim', 'escalation'],
        ]),
      );
    const rows = await sent({ requestId });
    const reminder = rows.find((d) => d.kind === 'thread.reply')!;
    const escalation = rows.find((d) => d.kind === 'direct')!;
    expect(reminder.createdAt.getTime()).toBeLessThan(escalation.createdAt.getTime());
    expect(reminder.payload).toMatchObject({ crn: c, title: expect.stringContaining(c) });
    expect(escalation.payload).toMatchObject({
      crn: c,
      title: expect.stringMatching(/^Escalation: .*not acknowledged/),
    });
    // End to end: the delivery worker sent both through the chat adapter (here the console's).
    await expect
      .poll(async () => {
        const rows = await db()
          .select({ status: deliveries.status })
          .from(deliveries)
          .where(inArray(deliveries.id, [reminder.id, escalation.id]));
        return rows.map((r) => r.status);
      }, poll)
      .toEqual(['sent', 'sent']);
    const output = printed.join('');
    expect(output).toContain(`[team:YOT-N, thread of ${c}]`);
    expect(output).toMatch(new RegExp(`ESCALATION to tl-kim .*${c}`));
    const audits = await db().select().from(auditLog).where(eq(auditLog.subjectId, requestId));
    expect(audits.map((a) => [a.action, a.surface])).toEqual(
      expect.arrayContaining([
        ['request.reminded', 'system'],
        ['request.escalated', 'system'],
      ]),
    );

    // Acknowledging stops both: once the pending job has run (finding a stale token), nothing is left.
    await t.app.services.acknowledge(as('mgr-sam'), { requestId });
    await expect.poll(() => pendingTimers(requestId), poll).toEqual([]);
    const settled = (await sent({ requestId })).filter((d) => d.kind !== 'notice.update').length;
    const [row] = await db().select().from(oversightRequests).where(eq(oversightRequests.id, requestId));
    expect(row).toMatchObject({ nextDueAt: null, nextStep: null });
    await timerFiredAfter(1500);
    expect((await sent({ requestId })).filter((d) => d.kind !== 'notice.update')).toHaveLength(settled);
  });

  it('a notice acknowledged in time is never reminded', async () => {
    const { requestId } = await notice();
    await t.app.services.acknowledge(as('mgr-jo'), { requestId });
    await expect.poll(() => pendingTimers(requestId), poll).toEqual([]);
    expect((await sent({ requestId })).map((d) => d.kind)).not.toContain('thread.reply');
  });

  it("an open action's owner is reminded before due and while overdue; after confirm, never again", async () => {
    const a = await action(1500);
    await expect
      .poll(async () => {
        const rows = await sent({ actionId: a.id });
        return {
          dueSoon: rows.filter((d) => d.target === 'cm-ali' && /^Reminder: /.test(title(d))).length,
          overdue: rows.filter((d) => d.target === 'cm-ali' && /^Overdue: /.test(title(d))).length,
          escalated: rows.filter((d) => d.target === 'tl-kim').length,
        };
      }, poll)
      .toEqual({ dueSoon: 1, overdue: expect.toSatisfy((n: number) => n >= 2), escalated: 1 });
    const rows = await sent({ actionId: a.id });
    expect(rows.every((d) => title(d).includes(a.ref) && title(d).includes(a.crn))).toBe(true);

    await t.app.services.confirm(as('mgr-sam'), { ref: a.ref });
    await expect.poll(() => pendingTimers(a.id), poll).toEqual([]);
    const before = (await sent({ actionId: a.id })).length;
    // Three repeat intervals (1s each) pass without another reminder: a timer set for after them
    // has fired, so the worker has run everything due before it.
    await timerFiredAfter(3 * 1000 + 200);
    expect(await sent({ actionId: a.id })).toHaveLength(before);
  });

  it('after done, the manager who set the action is reminded to confirm until they do', async () => {
    const a = await action(10 * 60_000);
    await t.app.services.done(as('cm-ali'), { ref: a.ref, evidence: 'Plan revised' });
    const confirmReminders = async () =>
      (await sent({ actionId: a.id })).filter((d) =>
        d.dedupeKey?.startsWith('action-awaiting_confirmation:'),
      );
    await expect.poll(async () => (await confirmReminders()).length, poll).toBeGreaterThanOrEqual(2);
    const reminders = await confirmReminders();
    expect(reminders.every((d) => d.target === 'mgr-sam' && d.kind === 'direct')).toBe(true);
    expect(reminders[0]!.payload).toMatchObject({
      kind: 'awaiting_confirmation',
      title: `${a.ref} (${a.crn}) still awaits your confirmation`,
    });
    await t.app.services.confirm(as('mgr-sam'), { ref: a.ref });
    await expect.poll(() => pendingTimers(a.id), poll).toEqual([]);
    const [row] = await db().select().from(actions).where(eq(actions.id, a.id));
    expect(row).toMatchObject({ status: 'confirmed', nextDueAt: null });
  });

  it('a job that ran early waits for the due time under the same id', async () => {
    const { requestId } = await notice();
    const dueAt = new Date(Date.now() + 1500);
    const [row] = await db()
      .update(oversightRequests)
      .set({ acknowledgeBy: dueAt, nextDueAt: dueAt, version: sql`${oversightRequests.version} + 1` })
      .where(eq(oversightRequests.id, requestId))
      .returning();
    // Scheduled "now" although the row says later (a skewed clock, a timer moved later).
    await t.app.deps.scheduler.timers([
      { payload: { subject: 'request', id: requestId, version: row!.version }, at: new Date() },
    ]);
    const reminder = async () => (await sent({ requestId })).find((d) => d.kind === 'thread.reply');
    await expect.poll(reminder, poll).toBeDefined();
    expect((await reminder())!.createdAt.getTime()).toBeGreaterThanOrEqual(dueAt.getTime() - 300);
  });

  it("a step committed without its successor's job (a crash between the two) is put back by the stale job", async () => {
    const { requestId } = await notice();
    const [before] = await db().select().from(oversightRequests).where(eq(oversightRequests.id, requestId));
    // As if a worker committed a step (new version, next due time) and died before adding the job.
    await db()
      .update(oversightRequests)
      .set({ version: before!.version + 1, nextDueAt: new Date(Date.now() + 500) })
      .where(and(eq(oversightRequests.id, requestId), eq(oversightRequests.version, before!.version)));
    await expect
      .poll(async () => (await sent({ requestId })).some((d) => d.kind === 'thread.reply'), poll)
      .toBe(true);
    expect(
      await t.app.queues.timers.getJob(
        jobIds.timer({ subject: 'request', id: requestId, version: before!.version }),
      ),
    ).toBeUndefined();
  });
});

const title = (d: { payload: unknown }) => (d.payload as { title: string }).title;
