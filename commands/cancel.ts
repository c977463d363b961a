import type { ReplyView } from '../src/chat/views.ts';
import type { CommandContext } from './context.ts';
import type { CommandOf } from './parse.ts';
import { requestClosedLine } from './reply.ts';

/** `cancel REF reason…`: a manager cancels an action no longer needed; the reason is recorded. */
export async function cancelCommand(ctx: CommandContext, command: CommandOf<'cancel'>): Promise<ReplyView> {
  const result = await ctx.services.cancel(ctx.actor, { ref: command.ref, reason: command.reason });
  return {
    ok: true,
    text: `${result.ref} (${result.crn}) is cancelled.`,
    lines: [`Reason: ${command.reason.trim()}`, ...(result.requestClosed ? [requestClosedLine] : [])],
  };
}
