import type { ReplyView } from '../src/chat/views.ts';
import type { CommandContext } from './context.ts';
import type { CommandOf } from './parse.ts';

/** `done REF evidence…`: the owner says the action is done; it is chased until a manager confirms it. */
export async function doneCommand(ctx: CommandContext, command: CommandOf<'done'>): Promise<ReplyView> {
  const result = await ctx.services.done(ctx.actor, { ref: command.ref, evidence: command.evidence });
  return {
    ok: true,
    text: `${result.ref} (${result.crn}) is marked done; the team's managers are asked to confirm it.`,
    lines: [`Evidence: ${command.evidence.trim()}`],
  };
}
