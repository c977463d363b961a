import type { ActionStatus, Level } from '../db/schema/index.ts';
import type { ReplyView } from '../src/chat/views.ts';
import type { CaseStatus } from '../src/oversight/status.ts';
import { formatLocal } from '../src/time.ts';
import type { CommandContext } from './context.ts';
import type { CommandOf } from './parse.ts';

const level = (value: Level | null) => (value ? value.replace('_', ' ') : 'not assessed');

const actionState: Record<ActionStatus, string> = {
  open: 'open',
  done_claimed: 'done, awaiting confirmation',
  confirmed: 'confirmed',
  cancelled: 'cancelled',
};

/** Where the notice stands, in the team's local time. */
function noticeLine(request: NonNullable<CaseStatus['request']>, when: (d: Date) => string): string {
  if (request.status === 'recorded') return `Notice: oversight recorded ${when(request.recordedAt!)}.`;
  if (request.acknowledged) {
    return `Notice: acknowledged by ${request.acknowledged.by} ${when(request.acknowledged.at)}.`;
  }
  return `Notice: open since ${when(request.openedAt)}, to be acknowledged by ${when(request.acknowledgeBy)}.`;
}

/**
 * `status CRN`: the case's live notice, its triggers and actions. The service lets only staff of
 * the case's team see it, and the reply is shown only to them, so referral reasons may appear.
 */
export async function statusCommand(ctx: CommandContext, command: CommandOf<'status'>): Promise<ReplyView> {
  const s = await ctx.services.status(ctx.actor, { crn: command.crn });
  const when = (d: Date) => formatLocal(d, s.timezone);
  const levels = `RoSH ${level(s.rosh)}${s.service === 'youth' ? `, vulnerability ${level(s.vulnerability)}` : ''}`;
  const text = `${s.crn} (${s.service}, team ${s.teamCode}): ${levels}; case manager ${s.caseManager ?? 'not allocated'}.`;
  const request = s.request;
  if (!request) {
    const last = s.lastRecordAt ? ` Oversight last recorded ${when(s.lastRecordAt)}.` : '';
    return { ok: true, text, lines: [`No open oversight notice.${last}`] };
  }
  return {
    ok: true,
    text,
    lines: [
      noticeLine(request, when),
      'Triggers:',
      ...request.triggers.map(
        (t) =>
          `- ${when(t.at)} ${t.category}: ${t.reason} (rule ${t.rule}, policy ${t.policyVersion})` +
          (t.referralReason === null ? '' : `. Reason given: ${t.referralReason}`),
      ),
      ...(request.actions.length ? ['Actions:'] : ['No remedial actions yet.']),
      ...request.actions.map(
        (a) =>
          `- ${a.ref} ${actionState[a.status]}${a.overdue ? ', OVERDUE' : ''}; due ${a.dueDate}, owner ${a.owner}: ${a.description}`,
      ),
    ],
  };
}
