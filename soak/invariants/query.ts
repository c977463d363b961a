import type { SQL } from 'drizzle-orm';
import type { Database } from '../../db/client.ts';
import { rowsOf } from '../../src/cases/sql-json.ts';

/** Rows of a read-only SQL query (the soak runs only on Postgres). */
export async function rows<T>(db: Database, query: SQL): Promise<T[]> {
  return rowsOf<T>(await db.execute(query));
}
