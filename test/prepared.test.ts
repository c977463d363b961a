import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openStorage, type Storage } from '../db/client.ts';
import { queryPrepared } from '../db/prepared.ts';
import { createTestDatabase, type TestDatabase } from './support/database.ts';

// A fixed-shape statement with a JSON list bound as text, as the ingest statements are written.
const statement = `
  select count(*)::int as n, coalesce(json_agg(v.name order by v.name), '[]') as names
  from jsonb_to_recordset($1::text::jsonb) as v(name text)`;
const rows = [{ name: 'O\'Brien \\ "quoted"' }, { name: 'Ødegård 🙂' }];

describe('queryPrepared', () => {
  const closers: Array<() => Promise<void>> = [];
  afterAll(async () => {
    for (const close of closers.reverse()) await close();
  });

  it('on Postgres: prepares a statement once per connection and runs it again with other values', async () => {
    const test: TestDatabase = await createTestDatabase();
    closers.push(() => test.drop());
    // One connection, so every call below meets the same prepared statement.
    const storage = await openStorage({ databaseUrl: test.url, dataDir: '', max: 1 });
    closers.push(() => storage.close());
    for (let i = 0; i < 3; i++) {
      const [first] = await queryPrepared<{ n: number; names: string[] }>(storage.db, statement, [
        JSON.stringify(rows.slice(0, i)),
      ]);
      expect(first).toEqual({
        n: i,
        names: rows
          .slice(0, i)
          .map((r) => r.name)
          .sort(),
      });
    }
    const prepared = await queryPrepared<{ n: number }>(
      storage.db,
      'select count(*)::int as n from pg_prepared_statements where statement like $1',
      ['%jsonb_to_recordset($1::text::jsonb) as v(name text)%'],
    );
    expect(prepared[0]!.n).toBe(1);
  });

  it('inside a transaction, and on the embedded PGlite, gives the same answers', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'oversight-prepared-'));
    const pglite: Storage = await openStorage({ dataDir: dir });
    closers.push(async () => {
      await pglite.close();
      rmSync(dir, { recursive: true, force: true });
    });
    const test = await createTestDatabase();
    closers.push(() => test.drop());
    for (const storage of [pglite, test.storage]) {
      const answer = await storage.db.transaction((tx) =>
        queryPrepared<{ n: number; names: string[] }>(tx, statement, [JSON.stringify(rows)]),
      );
      expect(answer).toEqual([{ n: 2, names: rows.map((r) => r.name).sort() }]);
    }
  });
});
