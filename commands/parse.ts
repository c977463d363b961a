import { normaliseRef } from '../src/actions/load.ts';
import { crnPattern, normaliseCrn } from '../src/oversight/refer.ts';

/** Every command, in the order help lists them. */
export const commandNames = [
  'refer',
  'status',
  'actions',
  'done',
  'confirm',
  'reopen',
  'cancel',
  'digest',
  'help',
] as const;
export type CommandName = (typeof commandNames)[number];

/** A request for help: asked for, or what a line that was not understood becomes (with the problem). */
export type HelpCommand = { name: 'help'; topic?: CommandName; problem?: string };

/** A line of command text, understood. Free text (reasons, evidence) is the rest of the line, verbatim. */
export type Command =
  | { name: 'refer'; crn: string; reason: string }
  | { name: 'status'; crn: string }
  | { name: 'actions' }
  | { name: 'done'; ref: string; evidence: string }
  | { name: 'confirm'; ref: string }
  | { name: 'reopen'; ref: string; reason: string }
  | { name: 'cancel'; ref: string; reason: string }
  | { name: 'digest' }
  | HelpCommand;

/** The parsed form of one command. */
export type CommandOf<N extends CommandName> = Extract<Command, { name: N }>;

/** Action refs are `A` and a number (the database's sequence); people may type them in lower case. */
export const refPattern = /^A\d{1,12}$/;

const isCommandName = (word: string): word is CommandName =>
  (commandNames as readonly string[]).includes(word);

/** Splits off the first word; the rest keeps its inner spacing and line breaks. */
function firstWord(text: string): [string, string] {
  const match = /^(\S*)\s*([\s\S]*)$/.exec(text);
  return [match?.[1] ?? '', match?.[2] ?? ''];
}

/** Punctuation people put after an identifier ("refer X123456: …") is not part of it. */
const bare = (word: string) => word.replace(/[,:;.]+$/, '');

/** What a person typed, shortened, to name it in a problem (adapters escape it). */
const quote = (word: string) => `"${word.length > 24 ? `${word.slice(0, 24)}…` : word}"`;

function crnOf(word: string): string | null {
  const crn = normaliseCrn(bare(word));
  return crnPattern.test(crn) ? crn : null;
}

function refOf(word: string): string | null {
  const ref = normaliseRef(bare(word));
  return refPattern.test(ref) ? ref : null;
}

const usage = (topic: CommandName, problem: string): HelpCommand => ({ name: 'help', topic, problem });

/** `VERB CRN-or-REF` with nothing after it. */
function idOnly(
  name: 'status' | 'confirm',
  args: string,
  read: (word: string) => string | null,
  what: string,
): Command {
  const [word, rest] = firstWord(args);
  const id = read(word);
  if (!word) return usage(name, `${name} needs ${what}.`);
  if (!id) return usage(name, `${quote(word)} is not ${what}.`);
  if (rest) return usage(name, `${name} takes only ${what}; nothing else is recorded.`);
  return name === 'status' ? { name, crn: id } : { name, ref: id };
}

/** `VERB ID text…`, where the text is required. */
function idAndText(
  name: 'refer' | 'done' | 'reopen' | 'cancel',
  args: string,
  textName: string,
): { id: string; text: string } | HelpCommand {
  const [word, text] = firstWord(args);
  const isRefer = name === 'refer';
  const what = isRefer ? 'a CRN (a letter and six digits, e.g. X123456)' : "an action's ref (e.g. A12)";
  const id = isRefer ? crnOf(word) : refOf(word);
  if (!word) return usage(name, `${name} needs ${what} and ${textName}.`);
  if (!id) return usage(name, `${quote(word)} is not ${what}.`);
  if (!text.trim()) return usage(name, `${name} needs ${textName} after ${id}.`);
  return { id, text };
}

/**
 * Reads one line of command text. Tolerant of spacing, case and a leading `/oversight`; never
 * throws, and anything it does not understand becomes help naming the problem.
 */
export function parseCommand(input: unknown): Command {
  const line = (typeof input === 'string' ? input : '').trim().replace(/^\/?oversight(?:\s+|$)/i, '');
  const [word, args] = firstWord(line);
  const verb = word.toLowerCase();
  if (!verb) return { name: 'help' };
  if (!isCommandName(verb)) return { name: 'help', problem: `I don't know the command ${quote(word)}.` };

  switch (verb) {
    case 'help': {
      const topic = firstWord(args)[0].toLowerCase();
      return isCommandName(topic) ? { name: 'help', topic } : { name: 'help' };
    }
    case 'actions':
    case 'digest':
      return args ? usage(verb, `${verb} takes nothing after it.`) : { name: verb };
    case 'status':
      return idOnly(verb, args, crnOf, 'a CRN (a letter and six digits, e.g. X123456)');
    case 'confirm':
      return idOnly(verb, args, refOf, "an action's ref (e.g. A12)");
    case 'refer': {
      const parsed = idAndText(verb, args, 'a reason');
      return 'name' in parsed ? parsed : { name: verb, crn: parsed.id, reason: parsed.text };
    }
    case 'done': {
      const parsed = idAndText(verb, args, 'evidence of what was done');
      return 'name' in parsed ? parsed : { name: verb, ref: parsed.id, evidence: parsed.text };
    }
    case 'reopen':
    case 'cancel': {
      const parsed = idAndText(verb, args, 'a reason');
      return 'name' in parsed ? parsed : { name: verb, ref: parsed.id, reason: parsed.text };
    }
  }
}
