import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStorage, type Storage } from '../db/client.ts';
import { deliveries, oversightRequests } from '../db/schema/index.ts';
import { type App, createApp } from '../src/app.ts';
import { parseCaseEventRequest } from '../src/cases/index.ts';
import { loadConfig } from '../src/config.ts';
import type { Actor } from '../src/context.ts';
import { createLogger } from '../src/logger.ts';
import { event } from './ingest-support.ts';
import { testEnvironment } from './support/environment.ts';
import { makeTeam } from './support/factories.ts';
import { uniqueName } from './support/names.ts';
import { dropRedisPrefix } from './support/redis.ts';

/** The embedded database (`oversight start` with no DATABASE_URL) takes every ingestion path too. */
describe('case events on the embedded PGlite database', () => {
  const dir = mkdtempSync(join(tmpdir(), 'oversight-ingest-pglite-'));
  const prefix = `{${uniqueName('pglite')}}`;
  const api: Actor = { staffCode: null, surface: 'api' };
  let storage: Storage;
  let app: App;
  beforeAll(async () => {
    storage = await openStorage({ dataDir: dir });
    await storage.migrate();
    const config = loadConfig({
      NODE_ENV: 'test',
      REDIS_URL: testEnvironment().redisUrl,
      REDIS_PREFIX: prefix,
      LOG_LEVEL: 'silent',
      OVERSIGHT_DATA_DIR: dir,
    });
    app = await createApp({
      config,
      roles: { web: false, worker: false },
      storage,
      logger: createLogger('silent'),
    });
    await makeTeam(storage.db);
  });
  afterAll(async () => {
    await app.close();
    await storage.close().catch(() => {});
    await dropRedisPrefix(prefix);
    rmSync(dir, { recursive: true, force: true });
  });

  it('creates a case, then updates it, raises a request and joins it, as on Postgres', async () => {
    const send = (overrides: Parameters<typeof event>[0]) =>
      app.services.ingestCaseEvents(
        api,
        parseCaseEventRequest(event({ case: { crn: 'X400001' }, ...overrides })),
      );
    // New case: the locked path.
    const [first] = await send({ data: { rosh: 'LOW' } });
    expect(first).toMatchObject({ status: 'accepted', outcome: 'none' });
    // Known case: the optimistic path, then from the process's memory of it.
    const [raised] = await send({ data: { rosh: 'MEDIUM' } });
    expect(raised).toMatchObject({ status: 'accepted', outcome: 'required', rule: 'youth.rosh_threshold' });
    const [joined] = await send({ type: 'police.callout', data: { domesticAbuse: true } });
    expect(joined).toMatchObject({ outcome: 'required', requestId: raised!.requestId });
    const sent = event({ case: { crn: 'X400001' }, data: { rosh: 'MEDIUM' } });
    await app.services.ingestCaseEvents(api, parseCaseEventRequest(sent));
    const [again] = await app.services.ingestCaseEvents(api, parseCaseEventRequest(sent));
    expect(again).toMatchObject({ status: 'duplicate', requestId: raised!.requestId });

    const requests = await storage.db
      .select()
      .from(oversightRequests)
      .where(eq(oversightRequests.crn, 'X400001'));
    expect(requests).toHaveLength(1);
    const notices = await storage.db
      .select()
      .from(deliveries)
      .where(eq(deliveries.requestId, raised!.requestId!));
    expect(notices.map((d) => d.kind).sort()).toEqual(['notice.post', 'notice.update', 'notice.update']);
  });
});
