import type { ReplyView } from '../src/chat/views.ts';
import type { Actor } from '../src/context.ts';
import type { Services } from '../src/services.ts';
import type { CommandContext } from './context.ts';

/**
 * The team digest service (issue 7, `digestFor` in src/digests, wired into `Services`): the digest
 * the caller may see now, refusals included. Without it, `digest` says the digest is not available.
 */
export type DigestFor = (actor: Actor) => Promise<ReplyView>;

/** `digest`: the caller's team digest, on demand. */
export async function digestCommand(ctx: CommandContext): Promise<ReplyView> {
  // Read as optional so the command still answers when handed services without a digest (issue 7
  // is built alongside; a partial build or a test may leave it out).
  const digestFor = (ctx.services as Services & { digestFor?: DigestFor }).digestFor;
  if (!digestFor) {
    return {
      ok: false,
      text: 'The team digest is not available yet. Type "actions" for your own open actions.',
    };
  }
  const { ok, text, lines } = await digestFor(ctx.actor);
  return lines ? { ok, text, lines } : { ok, text };
}
