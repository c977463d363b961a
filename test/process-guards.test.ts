import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../src/logger.ts';
import {
  installProcessGuards,
  isPostgresJsLostConnection,
  isPostgresJsNullSocketWrite,
} from '../src/process-guards.ts';
import { createTestDatabase, type TestDatabase } from './support/database.ts';

describe('the guard for postgres.js#1208 (a write to a closed socket after a backend dies mid-transaction)', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(() => db.drop());

  it('recognises the driver bug, and only it', async () => {
    const caught: unknown[] = [];
    const rejected: unknown[] = [];
    const listener = (error: unknown) => caught.push(error);
    const onRejection = (error: unknown) => rejected.push(error);
    const previous = process.listeners('uncaughtException');
    const previousRejection = process.listeners('unhandledRejection');
    process.removeAllListeners('uncaughtException');
    process.removeAllListeners('unhandledRejection');
    process.on('uncaughtException', listener);
    process.on('unhandledRejection', onRejection);
    const sql = postgres(db.url, { max: 2, onnotice: () => {} });
    const killer = postgres(db.url, { max: 1, onnotice: () => {} });
    try {
      let pid: number | null = null;
      const tx = sql.begin(async (t) => {
        const [row] = await t`select pg_backend_pid() as pid`;
        pid = row!.pid as number;
        await t`select pg_sleep(2)`;
      });
      while (pid === null) await new Promise((r) => setTimeout(r, 20));
      await killer`select pg_terminate_backend(${pid})`;
      await expect(tx).rejects.toMatchObject({ code: expect.stringMatching(/CONNECTION/) });
      await new Promise((r) => setTimeout(r, 200));
    } finally {
      process.removeListener('uncaughtException', listener);
      process.removeListener('unhandledRejection', onRejection);
      for (const l of previous) process.on('uncaughtException', l);
      for (const l of previousRejection) process.on('unhandledRejection', l);
      await sql.end({ timeout: 1 });
      await killer.end({ timeout: 1 });
    }
    // With the pinned postgres.js the bug does escape, one way or the other depending on timing,
    // and what escapes is exactly what the guard lets through. When an upgraded driver no longer
    // leaks it, drop the guard and this test.
    expect(caught.length + rejected.length).toBeGreaterThan(0);
    expect(caught.every(isPostgresJsNullSocketWrite)).toBe(true);
    expect(rejected.every(isPostgresJsLostConnection)).toBe(true);
    expect(
      isPostgresJsNullSocketWrite(new TypeError("Cannot read properties of null (reading 'write')")),
    ).toBe(false);
    expect(isPostgresJsNullSocketWrite(new Error('boom'))).toBe(false);
    expect(
      isPostgresJsLostConnection(Object.assign(new Error('closed'), { code: 'CONNECTION_CLOSED' })),
    ).toBe(false);
    expect(isPostgresJsLostConnection(new Error('boom'))).toBe(false);
  });

  it('a service survives that stray ROLLBACK either way it escapes, and exits on anything else', () => {
    const before = new Set(process.listeners('uncaughtException'));
    const exits: number[] = [];
    installProcessGuards(createLogger('silent'), (code) => exits.push(code));
    const guard = process.listeners('uncaughtException').find((l) => !before.has(l))!;
    process.removeListener('uncaughtException', guard);

    const inDriver = (error: Error) => {
      error.stack = `${error.name}: ${error.message}\n    at nextWrite (/app/node_modules/postgres/src/connection.js:253:26)`;
      return error;
    };
    guard(inDriver(new TypeError("Cannot read properties of null (reading 'write')")), 'uncaughtException');
    guard(
      inDriver(Object.assign(new Error('write CONNECTION_CLOSED'), { code: 'CONNECTION_CLOSED' })),
      'unhandledRejection',
    );
    expect(exits).toEqual([]);

    guard(new Error('boom'), 'uncaughtException');
    guard(
      Object.assign(new Error('write CONNECTION_CLOSED'), { code: 'CONNECTION_CLOSED' }),
      'unhandledRejection',
    );
    // The lost-connection shape as an uncaught exception (not a rejection) is not the known bug.
    guard(
      inDriver(Object.assign(new Error('write CONNECTION_CLOSED'), { code: 'CONNECTION_CLOSED' })),
      'uncaughtException',
    );
    expect(exits).toEqual([1, 1, 1]);
  });
});
