import type { ReplyView } from '../src/chat/views.ts';
import type { CommandContext } from './context.ts';
import type { CommandOf } from './parse.ts';

/** `reopen REF reason…`: a manager sends a done action back to its owner, saying why. */
export async function reopenCommand(ctx: CommandContext, command: CommandOf<'reopen'>): Promise<ReplyView> {
  const result = await ctx.services.reopen(ctx.actor, { ref: command.ref, reason: command.reason });
  return {
    ok: true,
    text: `${result.ref} (${result.crn}) is open again; its owner will be reminded until it is done.`,
    lines: [`Reason: ${command.reason.trim()}`],
  };
}
