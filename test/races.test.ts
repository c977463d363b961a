import { and, eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { actions, auditLog, oversightRequests } from '../db/schema/index.ts';
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
/** How many times each race is run: each run is one chance for the losing interleaving. */
const rounds = 8;

/**
 * Two managers acting at the same moment, as the soak found them doing: each race is run several
 * times, and every run must leave one outcome and an audit trail that agrees with it.
 */
describe('two managers settling actions at the same moment', () => {
  let t: TestApp;
  let services: Services;
  let caseNo = 0;
  beforeAll(async () => {
    t = await startTestApp({ listen: false });
    services = t.app.services;
    const db = t.db.storage.db;
    await makeTeam(db, { leadCode: null });
    await makeStaff(db, 'mgr-sam', 'manager');
    await makeStaff(db, 'mgr-jo', 'manager');
    await makeStaff(db, 'cm-ali', 'case_manager');
  });

  /** A recorded request with two open actions. */
  async function twoActions() {
    const crn = `X9${String(caseNo++).padStart(5, '0')}`;
    await makeCase(t.db.storage.db, crn);
    const { requestId } = await services.refer(as('cm-ali'), { crn, reason: 'Disclosure at home visit' });
    const recorded = await services.record(as('mgr-sam'), {
      requestId,
      assurances,
      rationale: 'Safety plan must be revised before the next contact',
      actions: [
        { description: 'Revise the safety plan', owner: 'cm-ali', due: due1 },
        { description: 'Share plan with police', owner: 'cm-ali', due: due2 },
      ],
    });
    const [a1, a2] = recorded.actions;
    return { requestId, a1: a1!, a2: a2! };
  }

  const auditOf = (subjectId: string, action: string) =>
    t.db.storage.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.subjectId, subjectId), eq(auditLog.action, action)));

  it('the last two actions settled at once close the request exactly once', async () => {
    for (let round = 0; round < rounds; round++) {
      const { requestId, a1, a2 } = await twoActions();
      const [confirmed, cancelled] = await Promise.all([
        services.confirm(as('mgr-sam'), { ref: a1.ref }),
        services.cancel(as('mgr-jo'), { ref: a2.ref, reason: 'Police already informed by MASH' }),
      ]);
      expect([confirmed.requestClosed, cancelled.requestClosed].filter(Boolean)).toHaveLength(1);
      const [request] = await t.db.storage.db
        .select()
        .from(oversightRequests)
        .where(eq(oversightRequests.id, requestId));
      expect(request?.status).toBe('closed');
      expect(await auditOf(requestId, 'request.closed')).toHaveLength(1);
    }
  });

  it('one action confirmed and cancelled at once: one wins, the other is told, the audit names the state really left', async () => {
    for (let round = 0; round < rounds; round++) {
      const { a1 } = await twoActions();
      const outcomes = await Promise.allSettled([
        services.confirm(as('mgr-sam'), { ref: a1.ref }),
        services.cancel(as('mgr-jo'), { ref: a1.ref, reason: 'No longer needed' }),
      ]);
      const won = outcomes.filter((o) => o.status === 'fulfilled');
      const lost = outcomes.filter((o) => o.status === 'rejected');
      expect(won).toHaveLength(1);
      expect(lost).toHaveLength(1);
      expect((lost[0] as PromiseRejectedResult).reason).toMatchObject({ code: 'conflict' });
      const settled = [
        ...(await auditOf(a1.id, 'action.confirmed')),
        ...(await auditOf(a1.id, 'action.cancelled')),
      ];
      expect(settled).toHaveLength(1);
      expect(settled[0]!.detail).toMatchObject({ from: 'open' });
    }
  });

  it('a reopen racing a cancel: the audit trail, read in order, leads to the state the action is in', async () => {
    for (let round = 0; round < rounds; round++) {
      const { a1 } = await twoActions();
      await services.done(as('cm-ali'), { ref: a1.ref, evidence: 'Plan revised and signed' });
      await Promise.allSettled([
        services.reopen(as('mgr-sam'), { ref: a1.ref, reason: 'Police not yet told' }),
        services.cancel(as('mgr-jo'), { ref: a1.ref, reason: 'No longer needed' }),
      ]);
      const trail = await t.db.storage.db
        .select()
        .from(auditLog)
        .where(and(eq(auditLog.subjectId, a1.id), eq(auditLog.subjectType, 'action')))
        .orderBy(auditLog.id);
      let state = 'open';
      for (const row of trail) {
        const detail = row.detail as { from?: string; to?: string } | null;
        if (!detail?.to) continue;
        expect(detail.from, `${row.action} left ${detail.from}, but the action was ${state}`).toBe(state);
        state = detail.to;
      }
      const [action] = await t.db.storage.db.select().from(actions).where(eq(actions.id, a1.id));
      expect(action?.status).toBe(state);
    }
  });
});
