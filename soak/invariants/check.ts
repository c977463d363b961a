/** One line of the invariant table: what must hold, whether it did, and the figures behind it. */
export type Check = { name: string; ok: boolean; detail: string };

/** A line of the table. */
export const check = (name: string, ok: boolean, detail: string): Check => ({ name, ok, detail });

/** A few ids of offending rows, for the detail column (ids only: no personal data). */
export function sample(ids: readonly string[], n = 3): string {
  return ids.length === 0 ? '' : ` e.g. ${ids.slice(0, n).join(', ')}`;
}
