import { and, eq, inArray, sql } from 'drizzle-orm';
import type { Database } from '../../db/client.ts';
import { actions, staff, teams } from '../../db/schema/index.ts';
import type { TimerPayload } from '../../jobs/queues.ts';
import { audit } from '../audit/index.ts';
import type { Actor, Ctx } from '../context.ts';
import { notFound } from '../errors.ts';
import type { StaffRow } from './queries.ts';

const live = ['open', 'done_claimed'] as const;

/** Timer jobs to add once the transaction that bumped their action's version has committed. */
export type HandoverTimer = { payload: TimerPayload; at: Date };

/** What became of a leaver's open work, for the person running the command to read. */
export type Handover = {
  code: string;
  name: string;
  teamCode: string;
  /** Actions they owned, now owned by their team's lead. */
  reassigned: Array<{ ref: string; to: string; toName: string }>;
  /** Actions they owned that stay with them: they lead the team, or it has no active lead. */
  kept: Array<{ ref: string; why: 'is the team lead' | 'no active team lead' }>;
  /** Actions they set that await confirmation: their reminders now go to the team lead. */
  confirmations: Array<{ ref: string; to: string | null }>;
};

export type DeactivateResult = {
  handover: Handover | null;
  alreadyInactive: boolean;
  timers: HandoverTimer[];
};

/**
 * Marks a member of staff as having left (compare-and-set on `active`, with its audit row) and
 * hands their open work to the team lead, in one transaction. Deactivating someone already
 * inactive changes nothing.
 */
export async function deactivateStaff(ctx: Ctx, input: { code: string }): Promise<DeactivateResult> {
  return ctx.db.transaction(async (tx) => {
    const [person] = await tx.select().from(staff).where(eq(staff.code, input.code));
    if (!person) throw notFound(`No staff member ${input.code} in the directory.`);
    // Compare-and-set: of two deactivations racing, one hands the work over, the other sees it done.
    const [updated] = await tx
      .update(staff)
      .set({ active: false, updatedAt: ctx.now() })
      .where(and(eq(staff.code, person.code), eq(staff.active, true)))
      .returning();
    if (!updated) return { handover: null, alreadyInactive: true, timers: [] };
    await audit(tx, ctx.actor, { action: 'staff.deactivated', subjectType: 'staff', subjectId: person.code });
    const timers: HandoverTimer[] = [];
    const handover = await handOverWork(tx, ctx.actor, ctx.now(), updated, timers);
    return { handover, alreadyInactive: false, timers };
  });
}

/**
 * Gives a leaver's open actions (open or awaiting confirmation) to the lead of each action's team,
 * and records who now receives the confirmation reminders of the actions they set. Acknowledgements
 * and records they made stay as they are: they are history. Each move is a compare-and-set on the
 * owner and version, so an action marked done or confirmed meanwhile is not touched twice; the
 * bumped version retires the old timer job, and the new one (added after commit, or by reconcile
 * from next_due_at) reminds the new owner.
 */
export async function handOverWork(
  db: Database,
  actor: Actor,
  now: Date,
  person: StaffRow,
  timers: HandoverTimer[],
): Promise<Handover> {
  const handover: Handover = {
    code: person.code,
    name: person.name,
    teamCode: person.teamCode,
    reassigned: [],
    kept: [],
    confirmations: [],
  };
  const leads = new Map<string, StaffRow | null>();
  const leadOf = async (teamCode: string): Promise<StaffRow | null> => {
    if (!leads.has(teamCode)) {
      const [row] = await db
        .select({ lead: staff })
        .from(teams)
        .innerJoin(staff, and(eq(staff.code, teams.leadCode), eq(staff.active, true)))
        .where(eq(teams.code, teamCode));
      leads.set(teamCode, row?.lead ?? null);
    }
    return leads.get(teamCode) ?? null;
  };

  const owned = await db
    .select()
    .from(actions)
    .where(and(eq(actions.ownerCode, person.code), inArray(actions.status, [...live])))
    .orderBy(actions.createdAt)
    .for('update');
  for (const action of owned) {
    const lead = await leadOf(action.teamCode);
    // A leaving lead's own row is inactive by now, so they find no lead here: their work stays.
    if (!lead || lead.code === person.code) {
      handover.kept.push({ ref: action.ref, why: await isLeadOf(db, person.code, action.teamCode) });
      continue;
    }
    const [moved] = await db
      .update(actions)
      .set({ ownerCode: lead.code, version: sql`${actions.version} + 1`, updatedAt: now })
      .where(
        and(
          eq(actions.id, action.id),
          eq(actions.ownerCode, person.code),
          eq(actions.version, action.version),
          inArray(actions.status, [...live]),
        ),
      )
      .returning();
    if (!moved) continue;
    if (moved.nextDueAt) {
      timers.push({
        payload: { subject: 'action', id: moved.id, version: moved.version },
        at: moved.nextDueAt,
      });
    }
    await audit(db, actor, {
      action: 'action.reassigned',
      subjectType: 'action',
      subjectId: action.id,
      crn: action.crn,
      detail: { ref: action.ref, from: person.code, to: lead.code, reason: 'owner deactivated' },
    });
    handover.reassigned.push({ ref: action.ref, to: lead.code, toName: lead.name });
  }

  // Who confirms is decided when each reminder fires (src/reminders/action-timer.ts): the setter
  // while they are an active manager, else the team lead. Nothing on the row changes; the audit
  // row says from when the lead is asked.
  const awaiting = await db
    .select()
    .from(actions)
    .where(and(eq(actions.setBy, person.code), eq(actions.status, 'done_claimed')))
    .orderBy(actions.createdAt);
  for (const action of awaiting) {
    const lead = await leadOf(action.teamCode);
    const to = lead && lead.code !== person.code ? lead.code : null;
    await audit(db, actor, {
      action: 'action.confirmer.reassigned',
      subjectType: 'action',
      subjectId: action.id,
      crn: action.crn,
      detail: { ref: action.ref, from: person.code, to, reason: 'setter deactivated' },
    });
    handover.confirmations.push({ ref: action.ref, to });
  }
  return handover;
}

async function isLeadOf(
  db: Database,
  code: string,
  teamCode: string,
): Promise<'is the team lead' | 'no active team lead'> {
  const [team] = await db.select({ leadCode: teams.leadCode }).from(teams).where(eq(teams.code, teamCode));
  return team?.leadCode === code ? 'is the team lead' : 'no active team lead';
}
