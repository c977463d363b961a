import type { ReplyView } from '../src/chat/views.ts';
import type { CommandContext } from './context.ts';
import type { CommandOf } from './parse.ts';
import { requestClosedLine } from './reply.ts';

/** `confirm REF`: a manager of the case's team confirms the action was done, so it stops being chased. */
export async function confirmCommand(ctx: CommandContext, command: CommandOf<'confirm'>): Promise<ReplyView> {
  const result = await ctx.services.confirm(ctx.actor, { ref: command.ref });
  return {
    ok: true,
    text: `${result.ref} (${result.crn}) is confirmed as done.`,
    lines: result.requestClosed ? [requestClosedLine] : [],
  };
}
