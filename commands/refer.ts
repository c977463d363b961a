import type { ReplyView } from '../src/chat/views.ts';
import type { CommandContext } from './context.ts';
import type { CommandOf } from './parse.ts';

/**
 * `refer CRN reason…`: asks the case's managers for oversight. The notice goes to their channel
 * without the reason (data minimisation); the referrer sees what happened and the reason kept.
 */
export async function referCommand(ctx: CommandContext, command: CommandOf<'refer'>): Promise<ReplyView> {
  const result = await ctx.services.refer(ctx.actor, { crn: command.crn, reason: command.reason });
  return {
    ok: true,
    text: result.opened
      ? `Referred ${result.crn}: an oversight notice is now open and goes to the team's managers' channel.`
      : `Added your referral to the oversight notice already open for ${result.crn}; its managers see the update.`,
    lines: [
      `Your reason, kept in the case's oversight record (not posted in the channel): ${command.reason.trim()}`,
    ],
  };
}
