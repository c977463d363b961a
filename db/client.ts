import { mkdirSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { count } from 'drizzle-orm';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { bigint, pgSchema, serial, text } from 'drizzle-orm/pg-core';
import * as schema from './schema/index.ts';

export type Schema = typeof schema;
/** A database handle or an open transaction: both drivers (postgres-js, PGlite) share this type. */
export type Database = PgDatabase<PgQueryResultHKT, Schema>;

export const migrationsFolder = resolve(dirname(fileURLToPath(import.meta.url)), 'migrations');

/** An open database and how to migrate, probe and close it. */
export type Storage = {
  db: Database;
  driver: 'postgres' | 'pglite';
  migrate(): Promise<void>;
  /** Throws unless the database answers and every committed migration has been applied. */
  check(): Promise<void>;
  close(): Promise<void>;
};

const drizzleSchema = pgSchema('drizzle');
const appliedMigrations = drizzleSchema.table('__drizzle_migrations', {
  id: serial('id').primaryKey(),
  hash: text('hash').notNull(),
  createdAt: bigint('created_at', { mode: 'number' }),
});

function expectedMigrations(): number {
  const journal = JSON.parse(readFileSync(resolve(migrationsFolder, 'meta/_journal.json'), 'utf8')) as {
    entries: unknown[];
  };
  return journal.entries.length;
}

async function checkMigrated(db: Database): Promise<void> {
  let applied: number;
  try {
    const [row] = await db.select({ n: count() }).from(appliedMigrations);
    applied = row?.n ?? 0;
  } catch (error) {
    if (pgCode(error) === '42P01')
      throw new Error('database has no migrations applied; run `oversight migrate`');
    throw error;
  }
  const expected = expectedMigrations();
  if (applied < expected) {
    throw new Error(`database has ${applied} of ${expected} migrations applied; run \`oversight migrate\``);
  }
}

export type OpenOptions = { databaseUrl?: string; dataDir: string; max?: number };

/** Opens Postgres when a URL is given, otherwise the embedded PGlite under `dataDir`. */
export async function openStorage(options: OpenOptions): Promise<Storage> {
  if (options.databaseUrl) return openPostgres(options.databaseUrl, options.max ?? 10);
  return openPglite(options.dataDir);
}

async function openPostgres(url: string, max: number): Promise<Storage> {
  const { default: postgres } = await import('postgres');
  const { drizzle } = await import('drizzle-orm/postgres-js');
  const { migrate } = await import('drizzle-orm/postgres-js/migrator');
  const client = postgres(url, {
    max,
    onnotice: () => {},
    connect_timeout: 5,
    idle_timeout: 30,
    // JIT compilation pays off for long analytical queries; for these short statements it only
    // adds milliseconds of compile time whenever a plan's estimated cost crosses the threshold.
    connection: { application_name: 'oversight', jit: 'off', random_page_cost: '1.1' },
  });
  const db = drizzle(client, { schema }) as unknown as Database;
  return {
    db,
    driver: 'postgres',
    migrate: () => migrate(drizzle(client, { schema }), { migrationsFolder }),
    check: () => checkMigrated(db),
    close: () => client.end({ timeout: 5 }),
  };
}

async function openPglite(dataDir: string): Promise<Storage> {
  const { PGlite } = await import('@electric-sql/pglite');
  const { drizzle } = await import('drizzle-orm/pglite');
  const { migrate } = await import('drizzle-orm/pglite/migrator');
  mkdirSync(dataDir, { recursive: true });
  const client = await PGlite.create(resolve(dataDir, 'pgdata'));
  const db = drizzle(client, { schema }) as unknown as Database;
  return {
    db,
    driver: 'pglite',
    migrate: () => migrate(drizzle(client, { schema }), { migrationsFolder }),
    check: () => checkMigrated(db),
    close: () => client.close(),
  };
}

/** The SQLSTATE of a driver error, looking through drizzle's DrizzleQueryError wrapper. */
export function pgCode(error: unknown): string | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 4 && current && typeof current === 'object'; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code)) return code;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

/** True when the error means the database could not be reached (rather than a query being wrong). */
export function isConnectionError(error: unknown): boolean {
  let current: unknown = error;
  for (let depth = 0; depth < 4 && current && typeof current === 'object'; depth++) {
    const code = (current as { code?: unknown }).code;
    if (
      typeof code === 'string' &&
      (/^(ECONNREFUSED|ECONNRESET|ETIMEDOUT|EPIPE|ENOTFOUND|CONNECT_TIMEOUT|CONNECTION_.*)$/.test(code) ||
        /^(08|57P0)/.test(code))
    ) {
      return true;
    }
    current = (current as { cause?: unknown }).cause;
  }
  return false;
}
