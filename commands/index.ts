import type { ReplyView } from '../src/chat/views.ts';
import type { Actor } from '../src/context.ts';
import type { Services } from '../src/services.ts';

/** What a command needs: the services and who is typing (resolved from the platform's identity). */
export type CommandContext = { services: Services; actor: Actor };

/**
 * Runs one line of `/oversight …` text (Slack), text typed to the bot (Teams) or at the console
 * prompt, and returns the reply for the person who typed it. Never throws: failures become replies.
 */
export async function runCommand(_ctx: CommandContext, _text: string): Promise<ReplyView> {
  return { ok: true, text: 'Commands are coming soon.' };
}
