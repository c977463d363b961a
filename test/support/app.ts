import { afterAll } from 'vitest';
import { type App, type AppOptions, createApp, type Roles } from '../../src/app.ts';
import { type Config, loadConfig } from '../../src/config.ts';
import { createLogger } from '../../src/logger.ts';
import { createTestDatabase, type TestDatabase } from './database.ts';
import { testEnvironment } from './environment.ts';
import { uniqueName } from './names.ts';
import { dropRedisPrefix } from './redis.ts';

export type TestApp = { app: App; db: TestDatabase; url: string; config: Config; close(): Promise<void> };

/** The environment of a test app: its own database and Redis prefix, plus whatever the test adds. */
export function testConfig(db: TestDatabase, env: Record<string, string | undefined> = {}): Config {
  return loadConfig({
    NODE_ENV: 'test',
    DATABASE_URL: db.url,
    REDIS_URL: testEnvironment().redisUrl,
    REDIS_PREFIX: `{${uniqueName('t')}}`,
    LOG_LEVEL: 'silent',
    PORT: '0',
    HOST: '127.0.0.1',
    ...env,
  });
}

/**
 * Starts the whole service on its own database and Redis prefix, listening on a free port.
 * Closed after the file's tests (or earlier by the test).
 */
export async function startTestApp(
  options: {
    env?: Record<string, string | undefined>;
    roles?: Roles;
    listen?: boolean;
    /** A fixed port (e.g. one a sign-in provider already redirects to); a free one otherwise. */
    port?: number;
  } & Partial<Omit<AppOptions, 'config' | 'roles'>> = {},
): Promise<TestApp> {
  const db = await createTestDatabase();
  const config = testConfig(db, options.env);
  const { env: _env, roles, listen, port, ...rest } = options;
  const app = await createApp({
    config,
    roles: roles ?? { web: true, worker: false },
    storage: db.storage,
    logger: createLogger('silent'),
    ...rest,
  });
  const url = listen === false ? '' : await app.listen(port ?? 0, '127.0.0.1');
  let closed = false;
  const close = async () => {
    if (closed) return;
    closed = true;
    await app.close();
    await dropRedisPrefix(config.redisPrefix).catch(() => {});
    await db.drop();
  };
  afterAll(close);
  return { app, db, url, config, close };
}
