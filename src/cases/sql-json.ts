import { type SQL, sql } from 'drizzle-orm';

/**
 * The rows of a `db.execute()` result. postgres-js returns an array of rows and PGlite an object
 * with `rows`; the ingest statements return one row of JSON columns, which both parse alike.
 */
export function rowsOf<T>(result: unknown): T[] {
  if (Array.isArray(result)) return result as T[];
  return ((result as { rows?: T[] }).rows ?? []) as T[];
}

/**
 * A JSON value written into the statement as a jsonb literal rather than bound as a parameter.
 * Why: drizzle never prepares `execute()` statements, and postgres.js runs an unprepared statement
 * that has parameters in two round trips (describe, then execute); without parameters it is one,
 * which is most of the cost of a small request. Safe: in an E'' literal only the backslash and
 * the quote are special, and both are escaped; the API refuses NUL characters beforehand.
 */
export function jsonb(value: unknown[]): SQL {
  const text = JSON.stringify(value).replaceAll('\\', '\\\\').replaceAll("'", "''");
  return sql.raw(`E'${text}'::jsonb`);
}
