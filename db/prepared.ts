import type { Database } from './client.ts';

/**
 * A hot, fixed-shape statement (its text a constant, its values bound as `$1…$n`), run as a
 * named prepared statement where the driver can: postgres.js then parses and plans it once per
 * connection and afterwards runs it in one round trip, where drizzle's unprepared statements take
 * two (describe, then execute) and are planned every time. The text must not vary with the data,
 * or every variant would stay prepared on every connection; pass lists as one `jsonb` parameter.
 *
 * Works on a database handle or an open transaction, on postgres.js and on PGlite (which has no
 * named statements to keep: it simply runs the statement).
 */
export async function queryPrepared<T>(db: Database, text: string, params: unknown[]): Promise<T[]> {
  const client = (db._.session as unknown as { client: DriverClient }).client;
  if ('unsafe' in client) {
    // Off for clients of the embedded database's socket, whose one session all clients share.
    const prepare = client.options?.prepare !== false;
    return (await client.unsafe(text, params, { prepare })) as T[];
  }
  return (await client.query(text, params)).rows as T[];
}

type DriverClient =
  | {
      unsafe(text: string, params: unknown[], options: { prepare: boolean }): Promise<unknown[]>;
      options?: { prepare?: boolean };
    }
  | { query(text: string, params: unknown[]): Promise<{ rows: unknown[] }> };
