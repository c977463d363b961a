import { count, eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  auditLog,
  caseEvents,
  cases,
  deliveries,
  oversightRequests,
  requestTriggers,
} from '../db/schema/index.ts';
import { signedHeaders } from '../src/cases/index.ts';
import { type Answer, event, eventTime, postEvents, secret } from './ingest-support.ts';
import { startTestApp, type TestApp } from './support/app.ts';
import { isoDaysAfter } from './support/dates.ts';
import { makeTeam } from './support/factories.ts';

describe('POST /api/v1/case-events', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ env: { EVENTS_SIGNING_SECRET: secret } });
    await makeTeam(t.db.storage.db);
    await makeTeam(t.db.storage.db, {
      code: 'PDU-E',
      name: 'East PDU',
      service: 'adult',
      slackChannel: 'C0EAST',
    });
  });
  const db = () => t.db.storage.db;
  const counts = async () => ({
    cases: (await db().select({ n: count() }).from(cases))[0]!.n,
    events: (await db().select({ n: count() }).from(caseEvents))[0]!.n,
    requests: (await db().select({ n: count() }).from(oversightRequests))[0]!.n,
    triggers: (await db().select({ n: count() }).from(requestTriggers))[0]!.n,
    audit: (await db().select({ n: count() }).from(auditLog))[0]!.n,
    deliveries: (await db().select({ n: count() }).from(deliveries))[0]!.n,
  });

  it('a required event is stored with its outcome, opens a request and queues the notice, with audit rows', async () => {
    const sent = event({
      type: 'police.arrest',
      case: { crn: 'X200001' },
      data: { offenceCategory: 'violence', notes: 'Arrested at 14 Acacia Ave with <!channel> J. Smith' },
    });
    const res = await postEvents(t.url, sent);
    expect(res.status).toBe(202);
    const [result] = res.body.results!;
    expect(result).toMatchObject({
      index: 0,
      id: sent.id,
      source: 'test-feed',
      status: 'accepted',
      outcome: 'required',
      rule: 'police.required_offence',
      reason: 'Youth case: police arrest for a violence offence',
      policyVersion: '2026-11-default',
    });
    expect(result!.requestId).toMatch(/^[0-9a-f-]{36}$/);

    const [stored] = await db()
      .select()
      .from(caseEvents)
      .where(eq(caseEvents.eventId, sent.id as string));
    expect(stored).toMatchObject({ crn: 'X200001', outcome: 'required', requestId: result!.requestId });
    expect(stored!.envelope).toEqual(sent);

    const [request] = await db().select().from(oversightRequests).where(eq(oversightRequests.crn, 'X200001'));
    expect(request).toMatchObject({ id: result!.requestId, status: 'open', teamCode: 'YOT-N' });
    const triggers = await db()
      .select()
      .from(requestTriggers)
      .where(eq(requestTriggers.requestId, request!.id));
    expect(triggers).toEqual([
      expect.objectContaining({
        kind: 'event',
        caseEventId: stored!.id,
        eventId: sent.id,
        type: 'police.arrest',
        category: 'police',
        rule: 'police.required_offence',
        policyVersion: '2026-11-default',
      }),
    ]);
    // The trigger carries no free text of the event: chat renders from it.
    expect(JSON.stringify(triggers)).not.toMatch(/Acacia|Smith|channel/);

    const audit = await db().select().from(auditLog).where(eq(auditLog.crn, 'X200001'));
    expect(audit.map((a) => a.action).sort()).toEqual([
      'case.created',
      'case_event.received',
      'request.opened',
    ]);
    expect(new Set(audit.map((a) => `${a.actor}/${a.surface}`))).toEqual(new Set(['api/api']));
    const queued = await db().select().from(deliveries).where(eq(deliveries.requestId, request!.id));
    expect(queued.map((d) => d.kind)).toEqual(['notice.post']);
  });

  it('text that looks like SQL, quotes or escapes is stored as text, exactly', async () => {
    const tricky = `O'Brien said "\\' ); drop table cases; --" \\u0041 \\\\ $$ E'x' 😀 ‮`;
    const sent = event({
      case: { crn: 'X200010' },
      data: { rosh: 'LOW', notes: tricky, "it's": ["a'b", '\\'] },
    });
    expect((await postEvents(t.url, sent)).status).toBe(202);
    const [stored] = await db()
      .select()
      .from(caseEvents)
      .where(eq(caseEvents.eventId, sent.id as string));
    expect(stored!.envelope).toEqual(sent);
    expect((await db().select({ n: count() }).from(cases))[0]!.n).toBeGreaterThan(0);
  });

  it('a batch answers per event in order; a second required event joins the case’s live request', async () => {
    const events = [
      event({ case: { crn: 'X200002' }, data: { rosh: 'MEDIUM' } }),
      event({ type: 'police.callout', case: { crn: 'X200002' }, data: { domesticAbuse: true } }),
      event({ type: 'court.appearance', case: { crn: 'X200003' }, data: { seriousOffence: false } }),
      event({ case: { crn: 'X200004', service: 'adult', team: 'PDU-E' }, data: { rosh: 'MEDIUM' } }),
    ];
    const res = await postEvents(t.url, { events });
    expect(res.status).toBe(202);
    const results = res.body.results!;
    expect(results.map((r) => [r.index, r.id, r.status, r.outcome, r.rule])).toEqual([
      [0, events[0]!.id, 'accepted', 'required', 'youth.rosh_threshold'],
      [1, events[1]!.id, 'accepted', 'required', 'police.domestic_abuse_callout'],
      [2, events[2]!.id, 'accepted', 'watch', 'court.other'],
      [3, events[3]!.id, 'accepted', 'none', 'adult.below_threshold'],
    ]);
    expect(results[1]!.requestId).toBe(results[0]!.requestId);
    expect(results[2]!.requestId).toBeUndefined();
    const requests = await db().select().from(oversightRequests).where(eq(oversightRequests.crn, 'X200002'));
    expect(requests).toHaveLength(1);
    const triggers = await db()
      .select()
      .from(requestTriggers)
      .where(eq(requestTriggers.requestId, requests[0]!.id));
    expect(triggers.map((tr) => tr.rule).sort()).toEqual([
      'police.domestic_abuse_callout',
      'youth.rosh_threshold',
    ]);

    const [watched] = await db().select().from(cases).where(eq(cases.crn, 'X200003'));
    expect(watched).toMatchObject({ service: 'youth', teamCode: 'YOT-N', caseManagerCode: 'cm-ali' });
    expect(watched!.watchSince).toEqual(new Date(eventTime));
    expect(watched!.watchReason).toBe('Youth case: further court appearance, not for a serious offence');
  });

  it('later required events join the live request: one notice update per request, each trigger audited; once closed, the next opens a new one', async () => {
    const crn = 'X200020';
    const arrest = () =>
      event({ type: 'police.arrest', case: { crn }, data: { offenceCategory: 'violence' } });
    const noticeKinds = async (requestId: string) =>
      (await db().select().from(deliveries).where(eq(deliveries.requestId, requestId)))
        .map((d) => d.kind)
        .sort();
    const requestAudit = async (requestId: string) =>
      (await db().select().from(auditLog).where(eq(auditLog.subjectId, requestId))).map((a) => a.action);

    const opened = await postEvents(t.url, arrest());
    const requestId = opened.body.results![0]!.requestId!;
    expect(await noticeKinds(requestId)).toEqual(['notice.post']);
    expect(await requestAudit(requestId)).toEqual(['request.opened']);
    const [raised] = await db().select().from(cases).where(eq(cases.crn, crn));
    expect(raised!.raisedRiskSince).toBeInstanceOf(Date);

    const joined = await postEvents(t.url, { events: [arrest(), arrest()] });
    expect(joined.body.results!.map((r) => r.requestId)).toEqual([requestId, requestId]);
    expect(await noticeKinds(requestId)).toEqual(['notice.post', 'notice.update']);
    expect(await requestAudit(requestId)).toEqual([
      'request.opened',
      'request.trigger_added',
      'request.trigger_added',
    ]);
    const triggers = await db()
      .select()
      .from(requestTriggers)
      .where(eq(requestTriggers.requestId, requestId));
    expect(triggers).toHaveLength(3);

    await db()
      .update(oversightRequests)
      .set({ status: 'closed', closedAt: new Date() })
      .where(eq(oversightRequests.id, requestId));
    const again = await postEvents(t.url, arrest());
    const next = again.body.results![0]!.requestId!;
    expect(next).not.toBe(requestId);
    expect(await noticeKinds(next)).toEqual(['notice.post']);
    const [stillRaised] = await db().select().from(cases).where(eq(cases.crn, crn));
    expect(stillRaised!.raisedRiskSince).toEqual(raised!.raisedRiskSince);
  });

  it('a duplicate (an earlier request, or earlier in the same batch) comes back as such and changes nothing', async () => {
    const first = event({ type: 'registration.added', case: { crn: 'X200005' }, data: { type: 'mappa' } });
    const original = await postEvents(t.url, first);
    expect(original.body.results![0]).toMatchObject({ status: 'accepted', outcome: 'required' });
    const before = await counts();

    // Same source and id, even with other content: the first report stands.
    const again = await postEvents(t.url, { events: [{ ...first, data: { type: 'other' } }, first] });
    expect(again.status).toBe(202);
    for (const [i, r] of again.body.results!.entries()) {
      expect(r).toMatchObject({
        index: i,
        status: 'duplicate',
        outcome: 'required',
        rule: 'registration.required_type',
        requestId: original.body.results![0]!.requestId,
      });
    }
    expect(await counts()).toEqual(before);

    const fresh = event({ case: { crn: 'X200006' }, data: { rosh: 'HIGH' } });
    const inBatch = await postEvents(t.url, { events: [fresh, fresh] });
    expect(inBatch.body.results!.map((r) => r.status)).toEqual(['accepted', 'duplicate']);
    expect(inBatch.body.results![1]!.requestId).toBe(inBatch.body.results![0]!.requestId);
    expect(await db().select().from(caseEvents).where(eq(caseEvents.crn, 'X200006'))).toHaveLength(1);
    expect(
      await db()
        .select()
        .from(requestTriggers)
        .where(eq(requestTriggers.eventId, fresh.id as string)),
    ).toHaveLength(1);
  });

  it('adult LOW → MEDIUM goes on the watch list; MEDIUM → HIGH raises a request and ends the watch', async () => {
    const adult = { crn: 'X200007', service: 'adult', team: 'PDU-E' };
    const dayLater = isoDaysAfter(1, new Date(eventTime));
    const steps = await postEvents(t.url, {
      events: [
        event({ case: adult, data: { rosh: 'LOW' } }),
        event({ case: adult, data: { rosh: 'MEDIUM' }, occurredAt: dayLater }),
      ],
    });
    expect(steps.body.results!.map((r) => r.outcome)).toEqual(['none', 'watch']);
    const [watched] = await db().select().from(cases).where(eq(cases.crn, 'X200007'));
    expect(watched).toMatchObject({
      rosh: 'MEDIUM',
      watchReason: 'Adult case: RoSH rose from Low to Medium, below the threshold (High)',
    });
    expect(watched!.watchSince).toEqual(new Date(dayLater));

    const high = await postEvents(t.url, event({ case: adult, data: { rosh: 'HIGH' } }));
    expect(high.body.results![0]).toMatchObject({ outcome: 'required', rule: 'adult.rosh_threshold' });
    const [after] = await db().select().from(cases).where(eq(cases.crn, 'X200007'));
    expect(after).toMatchObject({ rosh: 'HIGH', watchSince: null, watchReason: null });
    expect(after!.raisedRiskSince).not.toBeNull();
  });

  it('allocating a HIGH adult case to a PSO raises a request with rule allocation', async () => {
    const adult = { crn: 'X200008', service: 'adult', team: 'PDU-E' };
    await postEvents(t.url, event({ case: adult, data: { rosh: 'HIGH' } }));
    const res = await postEvents(
      t.url,
      event({ type: 'case.allocated', case: adult, data: { caseManager: 'cm-new', grade: 'PSO' } }),
    );
    expect(res.body.results![0]).toMatchObject({ outcome: 'required', rule: 'allocation' });
    const [row] = await db().select().from(cases).where(eq(cases.crn, 'X200008'));
    expect(row).toMatchObject({ caseManagerCode: 'cm-new', caseManagerGrade: 'PSO' });
  });

  it('a forum is recorded with outcome none and never touches the live request', async () => {
    const crn = { crn: 'X200009' };
    const raised = await postEvents(t.url, event({ case: crn, data: { rosh: 'HIGH' } }));
    const requestId = raised.body.results![0]!.requestId!;
    const [before] = await db().select().from(oversightRequests).where(eq(oversightRequests.id, requestId));

    const forum = await postEvents(
      t.url,
      event({ type: 'forum.held', case: crn, data: { forum: 'mappa', outcome: 'Level 2: agreed actions' } }),
    );
    expect(forum.body.results![0]).toMatchObject({
      status: 'accepted',
      outcome: 'none',
      rule: 'forum.held',
      reason: "Youth case: MAPPA meeting held; a forum is no substitute for the manager's oversight",
    });
    expect(forum.body.results![0]!.requestId).toBeUndefined();
    const [after] = await db().select().from(oversightRequests).where(eq(oversightRequests.id, requestId));
    expect(after).toEqual(before);
    expect(
      await db().select().from(requestTriggers).where(eq(requestTriggers.requestId, requestId)),
    ).toHaveLength(1);
    expect(await db().select().from(caseEvents).where(eq(caseEvents.crn, 'X200009'))).toHaveLength(2);
  });

  describe('concurrent senders', () => {
    it('events racing for one case are decided one after another: only the first rise is a rise', async () => {
      const adult = { crn: 'X210001', service: 'adult', team: 'PDU-E' };
      await postEvents(t.url, event({ case: adult, data: { rosh: 'LOW' } }));
      const answers = await Promise.all(
        Array.from({ length: 12 }, () => postEvents(t.url, event({ case: adult, data: { rosh: 'MEDIUM' } }))),
      );
      const outcomes = answers.map((a) => a.body.results![0]!.outcome).sort();
      expect(outcomes).toEqual(['watch', ...Array(11).fill('none')].sort());
      const [row] = await db().select().from(cases).where(eq(cases.crn, 'X210001'));
      expect(row).toMatchObject({ rosh: 'MEDIUM', version: 3 });
    });

    it('events racing for a new case create it once and raise one request', async () => {
      const fresh = { crn: 'X210002' };
      const answers = await Promise.all(
        Array.from({ length: 8 }, () =>
          postEvents(t.url, event({ type: 'registration.added', case: fresh, data: { type: 'mappa' } })),
        ),
      );
      expect(answers.map((a) => a.status)).toEqual(Array(8).fill(202));
      const ids = new Set(answers.map((a) => a.body.results![0]!.requestId));
      expect(ids.size).toBe(1);
      const [row] = await db().select().from(cases).where(eq(cases.crn, 'X210002'));
      expect(row!.flags).toEqual(['mappa']);
      const [request] = await db()
        .select()
        .from(oversightRequests)
        .where(eq(oversightRequests.crn, 'X210002'));
      expect(
        await db().select().from(requestTriggers).where(eq(requestTriggers.requestId, request!.id)),
      ).toHaveLength(8);
    });

    it('the same event sent twice at once is stored once', async () => {
      const same = event({ case: { crn: 'X210003' }, data: { rosh: 'HIGH' } });
      const answers = await Promise.all([
        postEvents(t.url, same),
        postEvents(t.url, same),
        postEvents(t.url, same),
      ]);
      expect(answers.map((a) => a.body.results![0]!.status).sort()).toEqual([
        'accepted',
        'duplicate',
        'duplicate',
      ]);
      expect(await db().select().from(caseEvents).where(eq(caseEvents.crn, 'X210003'))).toHaveLength(1);
      expect(
        await db()
          .select()
          .from(requestTriggers)
          .where(eq(requestTriggers.eventId, same.id as string)),
      ).toHaveLength(1);
    });
  });

  describe('refusals store nothing', () => {
    const refused = async (send: () => Promise<Answer>, status: number): Promise<Answer['body']> => {
      const before = await counts();
      const res = await send();
      expect(res.status).toBe(status);
      expect(await counts()).toEqual(before);
      return res.body;
    };

    it('a missing, wrong or tampered signature: 401', async () => {
      const body = event({ case: { crn: 'X300001' } });
      const none = await refused(() => postEvents(t.url, body, { unsigned: true }), 401);
      expect(none.message).toMatch(/X-Oversight-Timestamp/);
      await refused(() => postEvents(t.url, body, { secret: 'not-the-secret' }), 401);
      const text = JSON.stringify(body);
      const tampered = await refused(
        () =>
          postEvents(t.url, text.replace('LOW', 'MEDIUM'), {
            headers: signedHeaders(secret, text),
          }),
        401,
      );
      expect(tampered.message).toMatch(/does not match/);
      await refused(
        () => postEvents(t.url, body, { headers: { 'x-oversight-signature': 'sha256=abc' } }),
        401,
      );
    });

    it('a stale or future timestamp beyond five minutes: 401; within it: accepted', async () => {
      const body = event({ case: { crn: 'X300002' } });
      const at = (s: number) => new Date(Date.now() + s * 1000);
      const stale = await refused(() => postEvents(t.url, body, { now: at(-301) }), 401);
      expect(stale.message).toMatch(/5 minutes/);
      await refused(() => postEvents(t.url, body, { now: at(301) }), 401);
      expect((await postEvents(t.url, body, { now: at(-290) })).status).toBe(202);
    });

    it('malformed JSON: 400', async () => {
      const res = await refused(() => postEvents(t.url, '{"id": "ev-1", '), 400);
      expect(res.message).toMatch(/not valid JSON/);
    });

    it.each([
      [
        'an unknown type',
        { type: 'police.sighting' },
        'events[1].type',
        /unknown event type; expected one of: risk\.assessed/,
      ],
      ['a missing CRN', { case: { crn: undefined } }, 'events[1].case.crn', /expected string/],
      ['an unknown level', { data: { rosh: 'EXTREME' } }, 'events[1].data.rosh', /LOW/],
      ['a bad date', { occurredAt: 'yesterday' }, 'events[1].occurredAt', /ISO 8601/],
      ['a NUL in free text', { data: { rosh: 'LOW', notes: 'a\u0000b' } }, 'events[1].data.notes', /NUL/],
    ])(
      '%s: 400 naming the field, and the valid event beside it is not stored either',
      async (_, change, path, message) => {
        const good = event({ case: { crn: 'X300003' } });
        const bad = event({ case: { crn: 'X300004' } });
        const broken = {
          ...bad,
          ...change,
          case: { ...(bad.case as object), ...(change as { case?: object }).case },
        };
        const res = await refused(() => postEvents(t.url, { events: [good, broken] }), 400);
        const fields = res.fields;
        expect(fields).toContainEqual({ path, message: expect.stringMatching(message) });
      },
    );

    it('one event alone names its fields without an index', async () => {
      const res = await refused(() => postEvents(t.url, event({ data: { rosh: 'SEVERE' } })), 400);
      expect(res.fields!.map((f) => f.path)).toEqual(['data.rosh']);
    });

    it('a team the directory does not hold: 400 naming events[i].case.team, for a new or an existing case', async () => {
      const events = [
        event({ case: { crn: 'X300005' } }),
        event({ case: { crn: 'X300006', team: 'YOT-X' } }),
        event({ case: { crn: 'X200001', team: 'YOT-Y' } }),
      ];
      const res = await refused(() => postEvents(t.url, { events }), 400);
      expect(res.fields).toEqual([
        { path: 'events[1].case.team', message: expect.stringMatching(/unknown team "YOT-X"/) },
        { path: 'events[2].case.team', message: expect.stringMatching(/unknown team "YOT-Y"/) },
      ]);
    });

    it('a 2 MB body, or more than 1,000 events: 413', async () => {
      const big = event({ data: { rosh: 'LOW', notes: 'x'.repeat(2 * 1024 * 1024) } });
      await refused(() => postEvents(t.url, big), 413);
      const many = Array.from({ length: 1001 }, (_, i) => ({ id: `e${i}` }));
      const res = await refused(() => postEvents(t.url, { events: many }), 413);
      expect(res.message).toMatch(/at most 1000 events/);
    });

    it('a bare array or an empty batch: 400', async () => {
      await refused(() => postEvents(t.url, [event()]), 400);
      await refused(() => postEvents(t.url, { events: [] }), 400);
    });
  });

  it('without EVENTS_SIGNING_SECRET every request is refused with a clear message', async () => {
    const bare = await startTestApp();
    const res = await postEvents(bare.url, event());
    expect(res.status).toBe(401);
    expect(res.body.message).toMatch(/EVENTS_SIGNING_SECRET is not set/);
    await bare.close();
  });

  it('counts events by outcome in /metrics', async () => {
    // This test posts what it counts, so it passes alone or after the others.
    const counts = async () => {
      const text = await (await fetch(`${t.url}/metrics`)).text();
      const count = (outcome: string) =>
        Number(
          new RegExp(`oversight_case_events_total\\{outcome="${outcome}"\\} (\\d+)`).exec(text)?.[1] ?? 0,
        );
      return { required: count('required'), duplicate: count('duplicate') };
    };
    const before = await counts();
    const arrest = event({
      type: 'police.arrest',
      case: { crn: 'X200090' },
      data: { offenceCategory: 'violence' },
    });
    expect((await postEvents(t.url, arrest)).body.results?.[0]).toMatchObject({ outcome: 'required' });
    expect((await postEvents(t.url, arrest)).body.results?.[0]).toMatchObject({ status: 'duplicate' });
    expect(await counts()).toEqual({ required: before.required + 1, duplicate: before.duplicate + 1 });
  });
});
