import { randomBytes } from 'node:crypto';
import postgres from 'postgres';
import { openStorage, type Storage } from '../db/client.ts';

/** The soak's own database. */
export type SoakDatabase = {
  name: string;
  url: string;
  /** A direct connection (never through the fault proxy): how the soak reads the truth. */
  storage: Storage;
  drop(): Promise<void>;
};

/**
 * A database of the soak's own on the shared Postgres server: a clone of the test template when
 * one is given (inside `npm test`), otherwise created and migrated. Named like the test suite's
 * databases, so a leftover of an interrupted run is cleaned up by the next test run.
 */
export async function createSoakDatabase(adminUrl: string, template?: string): Promise<SoakDatabase> {
  const name = `oversight_t_soak_${randomBytes(4).toString('hex')}`;
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
  try {
    await admin.unsafe(
      template ? `create database "${name}" template "${template}"` : `create database "${name}"`,
    );
  } finally {
    await admin.end();
  }
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const storage = await openStorage({ databaseUrl: url.toString(), dataDir: '', max: 4 });
  if (!template) await storage.migrate();
  return {
    name,
    url: url.toString(),
    storage,
    async drop() {
      await storage.close().catch(() => {});
      const a = postgres(adminUrl, { max: 1, onnotice: () => {} });
      try {
        await a.unsafe(`drop database if exists "${name}" with (force)`);
      } finally {
        await a.end();
      }
    },
  };
}

/** The same database reached through another port (the fault proxy in front of Postgres). */
export function viaPort(url: string, port: number): string {
  const u = new URL(url);
  u.port = String(port);
  return u.toString();
}
