import { and, asc, eq, inArray } from 'drizzle-orm';
import { type ActionStatus, actions } from '../../db/schema/index.ts';
import type { Actor } from '../context.ts';
import { actingStaff, notInDirectory, refuse } from '../permissions.ts';
import type { Deps } from '../unit-of-work.ts';

/** One of the caller's unfinished actions, as the `actions` command lists it. */
export type OwnAction = {
  ref: string;
  crn: string;
  description: string;
  dueDate: string;
  status: Extract<ActionStatus, 'open' | 'done_claimed'>;
  overdue: boolean;
};

/**
 * The caller's own actions that are not yet confirmed or cancelled, overdue first. Ordering by the
 * instant each becomes overdue puts the overdue ones first and, within them, the longest overdue.
 */
export async function listOwnActions(deps: Deps, actor: Actor): Promise<OwnAction[]> {
  const person = await actingStaff(deps.db, actor);
  if (!person) {
    throw await refuse(
      deps.db,
      actor,
      { action: 'actions.list', subjectType: 'staff', subjectId: actor.staffCode ?? actor.surface },
      notInDirectory,
    );
  }
  const now = deps.now();
  const rows = await deps.db
    .select({
      ref: actions.ref,
      crn: actions.crn,
      description: actions.description,
      dueDate: actions.dueDate,
      status: actions.status,
      overdueFrom: actions.overdueFrom,
    })
    .from(actions)
    .where(and(eq(actions.ownerCode, person.code), inArray(actions.status, ['open', 'done_claimed'])))
    .orderBy(asc(actions.overdueFrom), asc(actions.createdAt));
  return rows.map(({ overdueFrom, status, ...row }) => ({
    ...row,
    status: status as OwnAction['status'],
    overdue: overdueFrom <= now,
  }));
}
