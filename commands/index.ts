import type { ReplyView } from '../src/chat/views.ts';
import { actionsCommand } from './actions.ts';
import { cancelCommand } from './cancel.ts';
import { confirmCommand } from './confirm.ts';
import type { CommandContext } from './context.ts';
import { digestCommand } from './digest.ts';
import { doneCommand } from './done.ts';
import { helpCommand } from './help.ts';
import { type Command, parseCommand } from './parse.ts';
import { referCommand } from './refer.ts';
import { reopenCommand } from './reopen.ts';
import { replyForError } from './reply.ts';
import { statusCommand } from './status.ts';

export type { CommandContext } from './context.ts';
export { type Command, parseCommand } from './parse.ts';

/** Sends a parsed command to its handler. */
function dispatch(ctx: CommandContext, command: Command): Promise<ReplyView> {
  switch (command.name) {
    case 'refer':
      return referCommand(ctx, command);
    case 'status':
      return statusCommand(ctx, command);
    case 'actions':
      return actionsCommand(ctx);
    case 'done':
      return doneCommand(ctx, command);
    case 'confirm':
      return confirmCommand(ctx, command);
    case 'reopen':
      return reopenCommand(ctx, command);
    case 'cancel':
      return cancelCommand(ctx, command);
    case 'digest':
      return digestCommand(ctx);
    case 'help':
      return Promise.resolve(helpCommand(command));
  }
}

/**
 * Runs one line of `/oversight …` text (Slack), text typed to the bot (Teams) or at the console
 * prompt, and returns the reply for the person who typed it. Never throws: failures become replies.
 */
export async function runCommand(ctx: CommandContext, text: string): Promise<ReplyView> {
  let command: Command = { name: 'help' };
  try {
    command = parseCommand(text);
    // Awaited here so a rejected service call is caught below and answered, not thrown.
    return await dispatch(ctx, command);
  } catch (error) {
    return replyForError(error, command.name === 'help' ? undefined : command.name);
  }
}
