import type { ReplyView } from '../src/chat/views.ts';
import { type CommandName, commandNames, type HelpCommand } from './parse.ts';

/** How each command is written, an example, and what it is for: the text of `help`. */
export const usage: Record<CommandName, { syntax: string; example: string; purpose: string }> = {
  refer: {
    syntax: 'refer CRN reason…',
    example: 'refer X123456 new DA call-out at the home address',
    purpose: "ask your team's managers for oversight of a case",
  },
  status: {
    syntax: 'status CRN',
    example: 'status X123456',
    purpose: "a case's open notice, its triggers and actions (your team's cases only)",
  },
  actions: { syntax: 'actions', example: 'actions', purpose: 'your open actions, overdue first' },
  done: {
    syntax: 'done REF evidence…',
    example: 'done A12 safety plan revised and shared with police',
    purpose: 'mark your action done, saying what was done; a manager then confirms it',
  },
  confirm: { syntax: 'confirm REF', example: 'confirm A12', purpose: 'managers: confirm an action was done' },
  reopen: {
    syntax: 'reopen REF reason…',
    example: 'reopen A12 plan not yet shared with police',
    purpose: 'managers: send a done action back, saying why',
  },
  cancel: {
    syntax: 'cancel REF reason…',
    example: 'cancel A12 police already informed by MASH',
    purpose: 'managers: cancel an action that is no longer needed, saying why',
  },
  digest: { syntax: 'digest', example: 'digest', purpose: "your team's digest, now" },
  help: { syntax: 'help [command]', example: 'help done', purpose: 'this list, or more about one command' },
};

/** One line per command: how to write it, what it does, an example. */
const line = (name: CommandName) => {
  const u = usage[name];
  return `${u.syntax} — ${u.purpose}. Example: ${u.example}`;
};

/** The usage of one command, for replies to a malformed or refused use of it. */
export function usageLine(name: CommandName): string {
  return `Usage: ${usage[name].syntax} (e.g. ${usage[name].example})`;
}

/**
 * Help: every command with an example, or one command's usage. A line that was not understood
 * arrives here with its problem, and the reply says so (`ok: false`) instead of guessing.
 */
export function helpCommand(command: HelpCommand): ReplyView {
  if (command.topic) {
    return {
      ok: !command.problem,
      text: command.problem ?? `${command.topic}: ${usage[command.topic].purpose}.`,
      lines: [usageLine(command.topic)],
    };
  }
  return {
    ok: !command.problem,
    text: `${command.problem ? `${command.problem} ` : ''}Oversight commands (in Slack, start each with /oversight):`,
    lines: commandNames.map(line),
  };
}
