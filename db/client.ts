import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { count } from 'drizzle-orm';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { bigint, pgSchema, serial, text } from 'drizzle-orm/pg-core';
import {
  claim,
  EmbeddedDatabaseBusy,
  type EmbeddedServer,
  type Owner,
  release,
  type SocketAddress,
  serveEmbedded,
  updateOwner,
} from './embedded.ts';
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

export type OpenOptions = {
  databaseUrl?: string;
  dataDir: string;
  max?: number;
  /**
   * On the embedded database: a service owns it and serves it to other processes; a command
   * connects through the running service, or owns it while it runs when no service does.
   */
  role?: Owner['role'];
};

/** Opens Postgres when a URL is given, otherwise the embedded PGlite under `dataDir`. */
export async function openStorage(options: OpenOptions): Promise<Storage> {
  if (options.databaseUrl) return openPostgres(options.databaseUrl, options.max ?? 10);
  return openEmbedded(resolve(options.dataDir), options.role ?? 'command');
}

async function openPostgres(url: string, max: number): Promise<Storage> {
  const { default: postgres } = await import('postgres');
  const client = postgres(url, {
    max,
    onnotice: () => {},
    connect_timeout: 5,
    idle_timeout: 30,
    // JIT compilation pays off for long analytical queries; for these short statements it only
    // adds milliseconds of compile time whenever a plan's estimated cost crosses the threshold.
    connection: { application_name: 'oversight', jit: 'off', random_page_cost: '1.1' },
  });
  return postgresStorage(client, 'postgres', () => client.end({ timeout: 5 }));
}

async function postgresStorage(
  client: import('postgres').Sql,
  driver: Storage['driver'],
  close: () => Promise<void>,
): Promise<Storage> {
  const { drizzle } = await import('drizzle-orm/postgres-js');
  const { migrate } = await import('drizzle-orm/postgres-js/migrator');
  const db = drizzle(client, { schema }) as unknown as Database;
  return {
    db,
    driver,
    migrate: () => migrate(drizzle(client, { schema }), { migrationsFolder }),
    check: () => checkMigrated(db),
    close,
  };
}

/** How long a command waits for another command that owns the embedded database, or for a starting service. */
const ownerWaitMs = 30_000;

async function openEmbedded(dataDir: string, role: Owner['role']): Promise<Storage> {
  const deadline = Date.now() + ownerWaitMs;
  for (;;) {
    const result = claim(dataDir, role);
    if (result.claimed) {
      try {
        return role === 'service' ? await serveOwnPglite(dataDir) : await openOwnPglite(dataDir);
      } catch (error) {
        release(dataDir);
        throw error;
      }
    }
    const { owner } = result;
    if (owner.role === 'service' && role === 'service') {
      throw new EmbeddedDatabaseBusy(
        `The embedded database in ${dataDir} is in use by another oversight service (pid ${owner.pid}). ` +
          'Stop that one first (commands such as `oversight directory load` work while it runs), ' +
          'or set DATABASE_URL so that several services share one Postgres database.',
      );
    }
    if (owner.role === 'service' && owner.socket) return connectToOwner(owner.socket);
    if (Date.now() > deadline) {
      throw new EmbeddedDatabaseBusy(
        `The embedded database in ${dataDir} is still in use by another oversight process (pid ${owner.pid}); ` +
          'try again when it has finished.',
      );
    }
    // A command that owns it finishes soon; a starting service is about to serve it.
    await new Promise((done) => setTimeout(done, 100));
  }
}

/** The files opened by this process alone, for a command run while no service is running. */
async function openOwnPglite(dataDir: string): Promise<Storage> {
  const { PGlite } = await import('@electric-sql/pglite');
  const { drizzle } = await import('drizzle-orm/pglite');
  const { migrate } = await import('drizzle-orm/pglite/migrator');
  const client = await PGlite.create(resolve(dataDir, 'pgdata'));
  const db = drizzle(client, { schema }) as unknown as Database;
  return {
    db,
    driver: 'pglite',
    migrate: () => migrate(drizzle(client, { schema }), { migrationsFolder }),
    check: () => checkMigrated(db),
    close: async () => {
      try {
        await client.close();
      } finally {
        release(dataDir);
      }
    },
  };
}

/**
 * The service's embedded database: PGlite served on a local socket, which this process uses too,
 * so its own queries and the commands' take turns by whole transactions on the one PGlite session.
 */
async function serveOwnPglite(dataDir: string): Promise<Storage> {
  const { PGlite } = await import('@electric-sql/pglite');
  const pglite = await PGlite.create(resolve(dataDir, 'pgdata'));
  let server: EmbeddedServer | undefined;
  try {
    server = await serveEmbedded(pglite, dataDir);
    updateOwner(dataDir, { pid: process.pid, role: 'service', socket: server.address });
  } catch (error) {
    await server?.close();
    await pglite.close();
    throw error;
  }
  const served = server;
  const client = await socketClient(served.address, 8);
  return postgresStorage(client, 'pglite', async () => {
    try {
      await client.end({ timeout: 5 });
      await served.close();
      await pglite.close();
    } finally {
      release(dataDir);
    }
  });
}

/** A command's connection to the running service's embedded database. */
async function connectToOwner(address: SocketAddress): Promise<Storage> {
  const client = await socketClient(address, 1);
  return postgresStorage(client, 'pglite', () => client.end({ timeout: 5 }));
}

async function socketClient(address: SocketAddress, max: number): Promise<import('postgres').Sql> {
  const { default: postgres } = await import('postgres');
  return postgres({
    ...('path' in address ? { path: address.path } : { host: address.host, port: address.port }),
    user: 'postgres',
    database: 'postgres',
    max,
    onnotice: () => {},
    connect_timeout: 5,
    // Every client shares one PGlite session: a named prepared statement of one would collide with
    // another's, so none are prepared (queryPrepared reads this option too).
    prepare: false,
  });
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
