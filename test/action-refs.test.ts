import { sql } from 'drizzle-orm';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStorage, type Storage } from '../db/client.ts';
import { insertAction } from './digest-fixtures.ts';
import { createTestDatabase, type TestDatabase } from './support/database.ts';
import { makeTeam } from './support/factories.ts';

const today = () => new Date().toISOString().slice(0, 10);

// The embedded database's restart and crash are in embedded-owner.test.ts.
describe('action refs on Postgres', () => {
  let test: TestDatabase;
  const opened: Storage[] = [];
  const open = async () => {
    const storage = await openStorage({ databaseUrl: test.url, dataDir: '', max: 2 });
    opened.push(storage);
    return storage;
  };
  beforeAll(async () => {
    test = await createTestDatabase();
    await makeTeam(test.storage.db);
  });
  afterAll(async () => {
    for (const storage of opened) await storage.close().catch(() => {});
    await test.drop();
  });

  it('continue from the last one after a restart, a killed connection and a rolled-back insert', async () => {
    const first = await open();
    expect((await insertAction(first.db, 'YOT-N', { due: today() })).ref).toBe('A1');
    expect((await insertAction(first.db, 'YOT-N', { due: today() })).ref).toBe('A2');
    await first.close();

    // The connections that handed out the refs are killed, as a crashed service's would be.
    const admin = postgres(test.url, { max: 1, onnotice: () => {} });
    try {
      await admin`select pg_terminate_backend(pid) from pg_stat_activity
                  where datname = current_database() and pid <> pg_backend_pid()`;
    } finally {
      await admin.end();
    }

    const second = await open();
    await expect(
      second.db.transaction(async (tx) => {
        expect((await insertAction(tx, 'YOT-N', { due: today() })).ref).toBe('A3');
        throw new Error('rolled back');
      }),
    ).rejects.toThrow('rolled back');
    expect((await insertAction(second.db, 'YOT-N', { due: today() })).ref).toBe('A3');
    const [counter] = (await second.db.execute(
      sql`select last from action_ref_counter`,
    )) as unknown as Array<{
      last: string;
    }>;
    expect(Number(counter?.last)).toBe(3);
  });
});
