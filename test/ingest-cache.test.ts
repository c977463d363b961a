import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { caseEvents, cases, oversightRequests } from '../db/schema/index.ts';
import { parseCaseEventRequest } from '../src/cases/index.ts';
import type { Actor } from '../src/context.ts';
import { createServices } from '../src/services.ts';
import { event, secret } from './ingest-support.ts';
import { startTestApp, type TestApp } from './support/app.ts';
import { makeTeam } from './support/factories.ts';

/**
 * Each web process remembers the cases it has seen, to skip a read. Two processes on one database
 * (two sets of services, each with its own memory) must still decide every event from the case as
 * it really stands.
 */
describe('case events through two web processes', () => {
  let t: TestApp;
  const api: Actor = { staffCode: null, surface: 'api' };
  beforeAll(async () => {
    t = await startTestApp({ env: { EVENTS_SIGNING_SECRET: secret }, listen: false });
    await makeTeam(t.db.storage.db, {
      code: 'PDU-E',
      name: 'East PDU',
      service: 'adult',
      slackChannel: 'C0EAST',
    });
  });
  afterAll(() => t.close());
  const db = () => t.db.storage.db;
  const adult = (crn: string, type: string, data: Record<string, unknown>) =>
    parseCaseEventRequest(event({ type, case: { crn, service: 'adult', team: 'PDU-E' }, data }));

  it('a case changed by the other process is read again, so a rise is counted once', async () => {
    const a = createServices(t.app.services.deps);
    const b = createServices(t.app.services.deps);
    const crn = 'X300001';
    await a.ingestCaseEvents(api, adult(crn, 'risk.assessed', { rosh: 'LOW' }));
    // Now remembered by A as LOW, at the version it wrote.
    const [asLow] = await a.ingestCaseEvents(api, adult(crn, 'risk.assessed', { rosh: 'LOW' }));
    expect(asLow).toMatchObject({ status: 'accepted', outcome: 'none' });

    const [rise] = await b.ingestCaseEvents(api, adult(crn, 'risk.assessed', { rosh: 'MEDIUM' }));
    expect(rise).toMatchObject({ outcome: 'watch', rule: 'adult.rising_below_threshold' });

    // A still remembers LOW; deciding from that would call MEDIUM a new rise.
    const [again] = await a.ingestCaseEvents(api, adult(crn, 'risk.assessed', { rosh: 'MEDIUM' }));
    expect(again).toMatchObject({ status: 'accepted', outcome: 'none', rule: 'adult.below_threshold' });
    const [row] = await db().select().from(cases).where(eq(cases.crn, crn));
    expect(row).toMatchObject({ rosh: 'MEDIUM' });
    expect(row!.watchReason).toBe(rise!.reason);
  });

  it('an event sent again to a process that remembers its case is a duplicate, stored once', async () => {
    const a = createServices(t.app.services.deps);
    const crn = 'X300002';
    await a.ingestCaseEvents(api, adult(crn, 'risk.assessed', { rosh: 'LOW' }));
    const sent = event({
      type: 'police.arrest',
      case: { crn, service: 'adult', team: 'PDU-E' },
      data: { offenceCategory: 'theft' },
    });
    const [first] = await a.ingestCaseEvents(api, parseCaseEventRequest(sent));
    const [second] = await a.ingestCaseEvents(api, parseCaseEventRequest(sent));
    expect(first).toMatchObject({ status: 'accepted', outcome: 'watch' });
    expect(second).toMatchObject({ status: 'duplicate', outcome: 'watch', rule: first!.rule });
    const stored = await db()
      .select()
      .from(caseEvents)
      .where(eq(caseEvents.eventId, sent.id as string));
    expect(stored).toHaveLength(1);
  });

  it('a request closed behind a process’s back is not joined: the next required event opens one and marks the case again', async () => {
    const a = createServices(t.app.services.deps);
    const crn = 'X300003';
    const arrest = () => adult(crn, 'police.arrest', { offenceCategory: 'violence' });
    const [opened] = await a.ingestCaseEvents(api, arrest());
    await a.ingestCaseEvents(api, adult(crn, 'risk.assessed', { rosh: 'LOW' }));
    // As recording oversight with no actions does: the request closes and the raised-risk mark
    // is cleared, neither of which changes the case's version.
    await db()
      .update(oversightRequests)
      .set({ status: 'closed', closedAt: new Date() })
      .where(eq(oversightRequests.id, opened!.requestId!));
    await db().update(cases).set({ raisedRiskSince: null }).where(eq(cases.crn, crn));

    const [next] = await a.ingestCaseEvents(api, arrest());
    expect(next).toMatchObject({ status: 'accepted', outcome: 'required' });
    expect(next!.requestId).not.toBe(opened!.requestId);
    const [live] = await db()
      .select()
      .from(oversightRequests)
      .where(eq(oversightRequests.id, next!.requestId!));
    expect(live).toMatchObject({ status: 'open', crn });
    const [row] = await db().select().from(cases).where(eq(cases.crn, crn));
    expect(row!.raisedRiskSince).toBeInstanceOf(Date);
  });
});
