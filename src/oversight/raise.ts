import { and, eq, ne } from 'drizzle-orm';
import { cases, oversightRequests, requestTriggers } from '../../db/schema/index.ts';
import { audit } from '../audit/index.ts';
import { queueNotice } from '../chat/index.ts';
import { notFound } from '../errors.ts';
import type { TxCtx } from '../unit-of-work.ts';

export type TriggerInput = {
  kind: 'event' | 'referral';
  caseEventId?: string;
  eventId?: string;
  type: string;
  category: string;
  rule: string;
  reason: string;
  policyVersion: string;
  by?: string;
  referralReason?: string;
};

export type RaiseResult = { requestId: string; opened: boolean };

/**
 * Opens an oversight request for a case, or adds the trigger to the one that is not yet closed:
 * a case has at most one live notice, and its timeline grows instead of a second notice being posted.
 */
export async function raiseRequest(ctx: TxCtx, crn: string, trigger: TriggerInput): Promise<RaiseResult> {
  // Locking the case row serialises every trigger for this case, so two events racing for the same
  // CRN cannot both decide "no live request" and open two (the partial unique index backs this up).
  const [caseRow] = await ctx.db.select().from(cases).where(eq(cases.crn, crn)).for('update');
  if (!caseRow) throw notFound(`unknown case ${crn}`);

  const now = ctx.now();
  const [live] = await ctx.db
    .select()
    .from(oversightRequests)
    .where(and(eq(oversightRequests.crn, crn), ne(oversightRequests.status, 'closed')));

  let requestId: string;
  let opened = false;
  if (live) {
    requestId = live.id;
    await ctx.db.update(oversightRequests).set({ updatedAt: now }).where(eq(oversightRequests.id, live.id));
  } else {
    const acknowledgeBy = new Date(now.getTime() + ctx.policy.timings.acknowledgeWithin.ms);
    const [row] = await ctx.db
      .insert(oversightRequests)
      .values({
        crn,
        teamCode: caseRow.teamCode,
        status: 'open',
        openedAt: now,
        acknowledgeBy,
        nextDueAt: acknowledgeBy,
        nextStep: 'remind',
        version: 1,
        updatedAt: now,
      })
      .returning({ id: oversightRequests.id, version: oversightRequests.version });
    requestId = row!.id;
    opened = true;
    ctx.effects.timers.push({
      payload: { subject: 'request', id: requestId, version: 1 },
      at: acknowledgeBy,
    });
    if (!caseRow.raisedRiskSince) {
      await ctx.db.update(cases).set({ raisedRiskSince: now }).where(eq(cases.crn, crn));
    }
  }

  await ctx.db.insert(requestTriggers).values({
    requestId,
    kind: trigger.kind,
    caseEventId: trigger.caseEventId ?? null,
    eventId: trigger.eventId ?? null,
    type: trigger.type,
    category: trigger.category,
    rule: trigger.rule,
    reason: trigger.reason,
    policyVersion: trigger.policyVersion,
    by: trigger.by ?? null,
    referralReason: trigger.referralReason ?? null,
    at: now,
  });
  await audit(ctx.db, ctx.actor, {
    action: opened ? 'request.opened' : 'request.trigger_added',
    subjectType: 'request',
    subjectId: requestId,
    crn,
    detail: {
      kind: trigger.kind,
      type: trigger.type,
      rule: trigger.rule,
      policyVersion: trigger.policyVersion,
    },
  });
  await queueNotice(ctx, { id: requestId, teamCode: caseRow.teamCode }, opened ? 'post' : 'update');
  return { requestId, opened };
}
