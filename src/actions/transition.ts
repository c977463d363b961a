import { and, eq, inArray, sql } from 'drizzle-orm';
import { type ActionStatus, actions } from '../../db/schema/index.ts';
import { audit } from '../audit/index.ts';
import { queueNotice } from '../chat/index.ts';
import type { Actor } from '../context.ts';
import { isManagerOf, type StaffRow } from '../directory/index.ts';
import { conflict } from '../errors.ts';
import { actingStaff, notInDirectory, refuse } from '../permissions.ts';
import { type Deps, type TxCtx, transact } from '../unit-of-work.ts';
import { type ActionRow, actionByRef } from './load.ts';
import { firstActionTimer } from './plan.ts';
import { closeIfSettled } from './settle.ts';

export type TransitionSpec = {
  /** Audit verb, e.g. `action.confirmed`. */
  verb: string;
  /** Name of the attempt, audited as `<attempt>.refused` when not allowed, e.g. `action.confirm`. */
  attempt: string;
  from: readonly ActionStatus[];
  to: ActionStatus;
  /** Who may do it; returns the refusal message, or null when allowed. */
  allowed(person: StaffRow | undefined, action: ActionRow): string | null;
  /** Columns to set besides status, timers and version. */
  set(person: StaffRow, now: Date): Partial<typeof actions.$inferInsert>;
  /** What to say when the action is not in a state this move starts from. */
  wrongState(action: ActionRow): string;
  /** Extra work in the same transaction (notifications). */
  after?(ctx: TxCtx, action: ActionRow, person: StaffRow): Promise<void>;
};

export type TransitionResult = { ref: string; crn: string; status: ActionStatus; requestClosed: boolean };

/**
 * Moves an action between states with compare-and-set on its status, re-plans its timer (a new
 * version token makes any scheduled job for the old state do nothing), writes the audit row,
 * refreshes the notice, and closes the request when nothing is left to chase.
 */
export async function transition(
  deps: Deps,
  actor: Actor,
  ref: string,
  spec: TransitionSpec,
): Promise<TransitionResult> {
  const action = await actionByRef(deps.db, ref);
  const person = await actingStaff(deps.db, actor);
  const refusal = person ? spec.allowed(person, action) : notInDirectory;
  if (refusal) {
    await refuse(
      deps.db,
      actor,
      { action: spec.attempt, subjectType: 'action', subjectId: action.id, crn: action.crn },
      refusal,
    );
  }
  if (!spec.from.includes(action.status)) throw conflict(spec.wrongState(action));

  return transact(deps, actor, async (ctx) => {
    const now = ctx.now();
    // Lock and re-read: the audit row must name the state the action really left, which a move
    // racing this one (a reopen racing a cancel) may have changed since it was read above.
    const [current] = await ctx.db.select().from(actions).where(eq(actions.id, action.id)).for('update');
    if (!current || !spec.from.includes(current.status)) throw conflict(spec.wrongState(current ?? action));
    const planned = {
      ...current,
      status: spec.to,
      doneAt: spec.to === 'done_claimed' ? now : current.doneAt,
    };
    const nextDueAt = firstActionTimer(planned, ctx.policy.timings, now);
    // Compare-and-set: the update applies only if the action is still in a state this move starts
    // from, so a confirm racing a cancel (or a double click) changes it once.
    const [updated] = await ctx.db
      .update(actions)
      .set({
        ...spec.set(person!, now),
        status: spec.to,
        nextDueAt,
        nextStep: nextDueAt ? 'tick' : null,
        reminderCount: 0,
        version: sql`${actions.version} + 1`,
        updatedAt: now,
      })
      .where(and(eq(actions.id, action.id), inArray(actions.status, [...spec.from])))
      .returning();
    if (!updated) {
      const current = await actionByRef(ctx.db, action.ref);
      throw conflict(spec.wrongState(current));
    }
    if (nextDueAt) {
      ctx.effects.timers.push({
        payload: { subject: 'action', id: updated.id, version: updated.version },
        at: nextDueAt,
      });
    }
    await audit(ctx.db, ctx.actor, {
      action: spec.verb,
      subjectType: 'action',
      subjectId: action.id,
      crn: action.crn,
      detail: { ref: action.ref, from: current.status, to: spec.to },
    });
    await spec.after?.(ctx, updated, person!);
    const requestClosed =
      spec.to === 'confirmed' || spec.to === 'cancelled'
        ? await closeIfSettled(ctx, { id: action.requestId, crn: action.crn })
        : false;
    await queueNotice(ctx, { id: action.requestId, teamCode: action.teamCode }, 'update');
    return { ref: action.ref, crn: action.crn, status: spec.to, requestClosed };
  });
}

/** Only a manager of the action's team confirms, reopens or cancels. */
export const managerOfActionTeam =
  (what: string) =>
  (person: StaffRow | undefined, action: ActionRow): string | null =>
    isManagerOf(person, action.teamCode)
      ? null
      : `Sorry, only a manager of team ${action.teamCode} can ${what} an action.`;

export const describeState: Record<ActionStatus, string> = {
  open: 'open',
  done_claimed: 'marked done and awaiting confirmation',
  confirmed: 'already confirmed',
  cancelled: 'cancelled',
};
