import { count, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStorage, type Storage } from '../db/client.ts';
import { caseEvents, cases, oversightRequests, requestTriggers } from '../db/schema/index.ts';
import { event, postEvents, secret } from './ingest-support.ts';
import { startTestApp, type TestApp } from './support/app.ts';
import { createTestDatabase, type TestDatabase } from './support/database.ts';
import { makeTeam } from './support/factories.ts';
import { TcpProxy } from './support/tcp-proxy.ts';

/**
 * The app reaches Postgres through a proxy the test can cut, so an outage is played without
 * touching the shared server; the test reads the truth over a direct connection.
 *
 * The cut falls between requests. Cutting a transaction mid-flight crashes the process inside
 * postgres.js 3.4.9 (its ROLLBACK is written to the closed socket from a setImmediate callback:
 * porsager/postgres#1208, fix proposed in #1209), whatever the application does.
 */
describe('case events while Postgres is down', () => {
  const proxy = new TcpProxy('127.0.0.1', 5432);
  let direct: TestDatabase;
  let proxied: Storage;
  let t: TestApp;

  beforeAll(async () => {
    direct = await createTestDatabase();
    const port = await proxy.start();
    const url = new URL(direct.url);
    url.port = String(port);
    proxied = await openStorage({ databaseUrl: url.toString(), dataDir: '', max: 3 });
    t = await startTestApp({ env: { EVENTS_SIGNING_SECRET: secret }, storage: proxied });
    await makeTeam(direct.storage.db);
  });
  afterAll(async () => {
    await t.close();
    await proxied.close().catch(() => {});
    await proxy.stop();
    await direct.drop();
  });

  const stored = async () => ({
    cases: (await direct.storage.db.select({ n: count() }).from(cases))[0]!.n,
    events: (await direct.storage.db.select({ n: count() }).from(caseEvents))[0]!.n,
    requests: (await direct.storage.db.select({ n: count() }).from(oversightRequests))[0]!.n,
    triggers: (await direct.storage.db.select({ n: count() }).from(requestTriggers))[0]!.n,
  });

  it('answers 503 with nothing half-written, and the retried batch is stored exactly once', async () => {
    const warm = await postEvents(t.url, event({ case: { crn: 'X400001' }, data: { rosh: 'HIGH' } }));
    expect(warm.status).toBe(202);
    const before = await stored();

    const batch = {
      events: [
        event({ case: { crn: 'X400002' }, data: { rosh: 'MEDIUM' } }),
        event({ case: { crn: 'X400001' }, type: 'police.callout', data: { domesticAbuse: true } }),
        event({ case: { crn: 'X400003' }, data: { rosh: 'LOW' } }),
      ],
    };
    await proxy.stop();
    const cut = await postEvents(t.url, batch);
    expect(cut.status).toBe(503);
    expect(cut.body).toMatchObject({
      error: 'unavailable',
      message: expect.stringMatching(/nothing was stored/),
    });

    // While it stays down, every retry is refused the same way, and nothing was half-written.
    const down = await postEvents(t.url, batch);
    expect(down.status).toBe(503);
    expect(await stored()).toEqual(before);

    await proxy.start();
    const retried = await postEvents(t.url, batch);
    expect(retried.status).toBe(202);
    expect(retried.body.results!.map((r) => r.status)).toEqual(['accepted', 'accepted', 'accepted']);
    const again = await postEvents(t.url, batch);
    expect(again.body.results!.map((r) => r.status)).toEqual(['duplicate', 'duplicate', 'duplicate']);

    expect(await stored()).toEqual({
      cases: before.cases + 2,
      events: before.events + 3,
      requests: before.requests + 1,
      triggers: before.triggers + 2,
    });
    const triggers = await direct.storage.db
      .select()
      .from(requestTriggers)
      .where(eq(requestTriggers.eventId, batch.events[1]!.id as string));
    expect(triggers).toHaveLength(1);
  });
});
