import { eq } from 'drizzle-orm';
import type { Database } from '../../db/client.ts';
import { actions } from '../../db/schema/index.ts';
import { notFound } from '../errors.ts';

export type ActionRow = typeof actions.$inferSelect;

/** Normalises what people type for a ref: ` a12 ` → `A12`. */
export function normaliseRef(ref: string): string {
  return ref.trim().toUpperCase();
}

/** An action by its short ref (A12), or a not-found error that says how to find refs. */
export async function actionByRef(db: Database, ref: string): Promise<ActionRow> {
  const [row] = await db
    .select()
    .from(actions)
    .where(eq(actions.ref, normaliseRef(ref)));
  if (!row)
    throw notFound(
      `No action ${normaliseRef(ref)}. Use \`actions\` to list yours, or \`status CRN\` for a case.`,
    );
  return row;
}
