import postgres from 'postgres';
import { inject } from 'vitest';
import { openStorage, type Storage } from '../../db/client.ts';
import { testEnvironment } from './environment.ts';
import { testDatabaseName } from './names.ts';

export type TestDatabase = { url: string; name: string; storage: Storage; drop(): Promise<void> };

function template(): string {
  // Provided by test/global-setup.ts.
  const name = inject('templateDatabase');
  if (!name) throw new Error('test template database missing: run the tests through vitest (global setup)');
  return name;
}

/** A fresh, migrated database owned by one test file (a clone of the template). */
export async function createTestDatabase(): Promise<TestDatabase> {
  const env = testEnvironment();
  const name = testDatabaseName();
  const admin = postgres(env.adminDatabaseUrl, { max: 1, onnotice: () => {} });
  try {
    await admin.unsafe(`create database "${name}" template "${template()}"`);
  } finally {
    await admin.end();
  }
  const url = new URL(env.adminDatabaseUrl);
  url.pathname = `/${name}`;
  const storage = await openStorage({ databaseUrl: url.toString(), dataDir: '', max: 5 });
  return {
    url: url.toString(),
    name,
    storage,
    async drop() {
      await storage.close();
      const a = postgres(env.adminDatabaseUrl, { max: 1, onnotice: () => {} });
      try {
        await a.unsafe(`drop database if exists "${name}" with (force)`);
      } finally {
        await a.end();
      }
    },
  };
}
