import { eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { actions, auditLog, deliveries, oversightRequests } from '../db/schema/index.ts';
import type { Actor } from '../src/context.ts';
import type { Services } from '../src/services.ts';
import { startTestApp, type TestApp } from './support/app.ts';
import { daysFromToday } from './support/dates.ts';
import { exampleAssurances, makeCase, makeStaff, makeTeam } from './support/factories.ts';

// Due dates ahead of today in the team's timezone, so the actions are open, not overdue.
const due1 = daysFromToday(7);
const due2 = daysFromToday(8);

const as = (staffCode: string): Actor => ({ staffCode, surface: 'slack' });
const assurances = exampleAssurances;

describe('oversight of a case, end to end through the services', () => {
  let t: TestApp;
  let services: Services;
  beforeAll(async () => {
    t = await startTestApp({ listen: false });
    services = t.app.services;
    const db = t.db.storage.db;
    await makeTeam(db, { leadCode: null });
    await makeStaff(db, 'mgr-sam', 'manager', { slackUserId: 'U0SAM' });
    await makeStaff(db, 'mgr-jo', 'manager', { slackUserId: 'U0JO' });
    await makeStaff(db, 'cm-ali', 'case_manager', { slackUserId: 'U0ALI' });
    await makeStaff(db, 'tl-kim', 'team_lead', { slackUserId: 'U0KIM' });
    await makeTeam(db, { code: 'YOT-S', name: 'South', slackChannel: 'C0SOUTH' });
    await makeStaff(db, 'mgr-other', 'manager', { teamCode: 'YOT-S' });
  });

  async function referral(crn: string) {
    await makeCase(t.db.storage.db, crn);
    return services.refer(as('cm-ali'), { crn, reason: 'Disclosure at home visit' });
  }

  it('a referral opens one request and queues one notice; a second joins it', async () => {
    const first = await referral('X100001');
    expect(first.opened).toBe(true);
    const second = await services.refer(as('cm-ali'), { crn: 'x100001', reason: 'More concerns' });
    expect(second).toMatchObject({ opened: false, requestId: first.requestId });
    const posts = await t.db.storage.db
      .select()
      .from(deliveries)
      .where(eq(deliveries.requestId, first.requestId));
    expect(posts.filter((d) => d.kind === 'notice.post')).toHaveLength(1);
  });

  it('a case manager cannot acknowledge; the refusal is audited and changes nothing', async () => {
    const { requestId } = await referral('X100002');
    await expect(services.acknowledge(as('cm-ali'), { requestId })).rejects.toMatchObject({
      code: 'forbidden',
    });
    const [row] = await t.db.storage.db
      .select()
      .from(oversightRequests)
      .where(eq(oversightRequests.id, requestId));
    expect(row?.status).toBe('open');
    const refusals = await t.db.storage.db
      .select()
      .from(auditLog)
      .where(eq(auditLog.action, 'request.acknowledge.refused'));
    expect(refusals.some((r) => r.subjectId === requestId && r.actor === 'cm-ali')).toBe(true);
  });

  it('a manager of another team cannot acknowledge', async () => {
    const { requestId } = await referral('X100003');
    await expect(services.acknowledge(as('mgr-other'), { requestId })).rejects.toMatchObject({
      code: 'forbidden',
    });
  });

  it('two managers acknowledging at once produce one acknowledgement', async () => {
    const { requestId } = await referral('X100004');
    const results = await Promise.all([
      services.acknowledge(as('mgr-sam'), { requestId }),
      services.acknowledge(as('mgr-jo'), { requestId }),
    ]);
    expect(results.map((r) => r.status).sort()).toEqual(['acknowledged', 'already']);
    const acks = await t.db.storage.db
      .select()
      .from(auditLog)
      .where(eq(auditLog.action, 'request.acknowledged'));
    expect(acks.filter((a) => a.subjectId === requestId)).toHaveLength(1);
  });

  it('a record with an empty rationale is refused naming the field, and stores nothing', async () => {
    const { requestId } = await referral('X100005');
    const attempt = services.record(as('mgr-sam'), { requestId, assurances, rationale: '   ', actions: [] });
    await expect(attempt).rejects.toMatchObject({
      code: 'invalid_input',
      fields: [expect.objectContaining({ path: 'rationale', message: 'Rationale is required' })],
    });
    const [row] = await t.db.storage.db
      .select()
      .from(oversightRequests)
      .where(eq(oversightRequests.id, requestId));
    expect(row?.status).toBe('open');
  });

  it('a variance naming a procedure needs a reason; an owner outside the team is refused', async () => {
    const { requestId } = await referral('X100006');
    const attempt = services.record(as('mgr-sam'), {
      requestId,
      assurances,
      rationale: 'ok',
      variance: { procedure: 'Home visit within 10 days' },
      actions: [{ description: 'x', owner: 'mgr-other', due: due1 }],
    });
    await expect(attempt).rejects.toMatchObject({ code: 'invalid_input' });
    const fixed = services.record(as('mgr-sam'), {
      requestId,
      assurances,
      rationale: 'ok',
      actions: [{ description: 'x', owner: 'mgr-other', due: due1 }],
    });
    await expect(fixed).rejects.toMatchObject({
      fields: [expect.objectContaining({ path: 'actions[0].owner' })],
    });
  });

  it('actions are chased until a manager confirms: done → confirm closes the request', async () => {
    const { requestId } = await referral('X100007');
    const recorded = await services.record(as('mgr-sam'), {
      requestId,
      assurances,
      rationale: 'Safety plan must be revised before the next contact',
      evidence: ['case_discussion'],
      actions: [
        { description: 'Revise the safety plan', owner: 'cm-ali', due: due1 },
        { description: 'Share plan with police', owner: 'cm-ali', due: due2 },
      ],
    });
    expect(recorded.status).toBe('recorded');
    expect(recorded.actions.map((a) => a.ref)).toEqual([
      expect.stringMatching(/^A\d+$/),
      expect.stringMatching(/^A\d+$/),
    ]);
    const [a1, a2] = recorded.actions;

    await expect(services.done(as('cm-ali'), { ref: a1!.ref, evidence: ' ' })).rejects.toMatchObject({
      code: 'invalid_input',
    });
    await expect(services.confirm(as('cm-ali'), { ref: a1!.ref })).rejects.toMatchObject({
      code: 'forbidden',
    });
    await services.done(as('cm-ali'), { ref: a1!.ref.toLowerCase(), evidence: 'Plan revised and signed' });
    const managerDms = await t.db.storage.db.select().from(deliveries).where(eq(deliveries.actionId, a1!.id));
    expect(managerDms.map((d) => d.target).sort()).toEqual(['mgr-jo', 'mgr-sam']);

    await services.reopen(as('mgr-sam'), { ref: a1!.ref, reason: 'Police not yet told' });
    await expect(services.reopen(as('mgr-sam'), { ref: a1!.ref, reason: 'again' })).rejects.toMatchObject({
      code: 'conflict',
    });
    const first = await services.confirm(as('mgr-sam'), { ref: a1!.ref });
    expect(first.requestClosed).toBe(false);
    await expect(services.cancel(as('mgr-sam'), { ref: a2!.ref, reason: '' })).rejects.toMatchObject({
      code: 'invalid_input',
    });
    const last = await services.cancel(as('mgr-sam'), {
      ref: a2!.ref,
      reason: 'Police already informed by MASH',
    });
    expect(last.requestClosed).toBe(true);

    const [request] = await t.db.storage.db
      .select()
      .from(oversightRequests)
      .where(eq(oversightRequests.id, requestId));
    expect(request?.status).toBe('closed');
    const rows = await t.db.storage.db.select().from(actions).where(eq(actions.requestId, requestId));
    expect(rows.every((a) => a.nextDueAt === null)).toBe(true);

    const record = await services.caseRecord('X100007');
    expect(record.requests[0]?.actions.map((a) => a.status)).toEqual(['confirmed', 'cancelled']);
    expect(record.audit.map((a) => a.action)).toEqual(
      expect.arrayContaining([
        'request.opened',
        'record.created',
        'action.done_claimed',
        'action.reopened',
        'action.confirmed',
        'action.cancelled',
        'request.closed',
      ]),
    );
  });

  it('a record without remedial actions closes the request at once', async () => {
    const { requestId } = await referral('X100008');
    const result = await services.record(as('mgr-sam'), {
      requestId,
      assurances,
      rationale: 'Plan is sound',
    });
    expect(result.status).toBe('closed');
    const again = await services.refer(as('cm-ali'), { crn: 'X100008', reason: 'New arrest' });
    expect(again.opened).toBe(true);
  });

  it('an unknown CRN is refused with a hint, and a malformed one is explained', async () => {
    await expect(services.refer(as('cm-ali'), { crn: 'X999999', reason: 'x' })).rejects.toThrow(
      /don't know case X999999/,
    );
    await expect(services.refer(as('cm-ali'), { crn: 'banana', reason: 'x' })).rejects.toThrow(
      /letter and six digits/,
    );
  });
});
