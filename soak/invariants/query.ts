import type { SQL } from 'drizzle-orm';
import type { Database } from '../../db/client.ts';

/** Rows of a read-only SQL query (the soak runs only on Postgres, where postgres.js returns an array). */
export async function rows<T>(db: Database, query: SQL): Promise<T[]> {
  return (await db.execute(query)) as unknown as T[];
}
