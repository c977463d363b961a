import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import { runCommand } from '../../../commands/index.ts';
import { openRecordForm, submitRecord } from '../../../interactions/record.ts';
import {
  checkAnswer,
  type FormAnswers,
  type FormField,
  type RecordFormModel,
} from '../../../interactions/record-form.ts';
import type { ReplyView } from '../../chat/views.ts';
import type { Actor } from '../../context.ts';
import { staffByCode } from '../../directory/index.ts';
import { isAppError } from '../../errors.ts';
import { liveRequestForCrn, normaliseCrn } from '../../oversight/index.ts';
import { refuseDeactivated } from '../../permissions.ts';
import type { Services } from '../../services.ts';
import { clean, renderReply } from './render.ts';

export type PromptOptions = {
  services: Services;
  input: Readable;
  write: (text: string) => void;
  /** The staff member typing, until `as CODE` changes it. */
  as?: string;
};

const consoleHelp = [
  'Console: type commands as a member of staff.',
  '  as CODE                 act as that staff member (e.g. as mgr-sam)',
  '  ack CRN                 press Acknowledge on the case notice',
  '  record CRN              press Record oversight (asks for each field)',
  '  escalate CRN            press Escalate',
  '  /oversight …            any slash command (the /oversight is optional); try: help',
  '  quit                    leave the prompt',
];

/** Reads one line at a time, so a command can ask follow-up questions (the record form). */
class Lines {
  private readonly iterator: AsyncIterator<string>;
  constructor(input: Readable) {
    this.iterator = createInterface({ input, terminal: false, crlfDelay: Number.POSITIVE_INFINITY })[
      Symbol.asyncIterator
    ]();
  }
  async next(): Promise<string | undefined> {
    const { value, done } = await this.iterator.next();
    return done ? undefined : value;
  }
}

/** The console's prompt: slash commands and buttons, typed. Returns when the input ends or on `quit`. */
export async function runConsolePrompt(options: PromptOptions): Promise<void> {
  const { services, write } = options;
  const lines = new Lines(options.input);
  let staffCode = options.as;
  const ask = async (question: string) => {
    write(`${question} `);
    const answer = await lines.next();
    if (answer === undefined) throw new EndOfInput();
    return answer.trim();
  };
  write(`${consoleHelp.join('\n')}\n`);
  for (;;) {
    write(`${staffCode ?? 'nobody'}> `);
    const line = await lines.next();
    if (line === undefined) return;
    const text = line.trim();
    if (!text) continue;
    const [word = '', ...rest] = text.split(/\s+/);
    const verb = word.toLowerCase();
    try {
      if (verb === 'quit' || verb === 'exit') return;
      if (verb === 'as') {
        const code = rest[0] ?? '';
        const person = await staffByCode(services.deps.db, code);
        if (!person) {
          write(`${renderReply({ ok: false, text: `No staff member ${code} in the directory.` })}\n`);
          continue;
        }
        staffCode = person.code;
        write(
          `${renderReply({ ok: true, text: `Now acting as ${person.name} (${person.role}, team ${person.teamCode}).` })}\n`,
        );
        continue;
      }
      if (!staffCode) {
        write(`${renderReply({ ok: false, text: 'Choose who you are first, e.g. `as mgr-sam`.' })}\n`);
        continue;
      }
      const actor: Actor = { staffCode, surface: 'console' };
      // Looked up on every line: someone deactivated mid-session is refused from then on.
      const me = await staffByCode(services.deps.db, staffCode);
      if (me && !me.active) {
        await refuseDeactivated(services.deps.db, actor, verb);
      }
      const reply = ['ack', 'acknowledge', 'record', 'escalate'].includes(verb)
        ? await pressButton(services, actor, verb, rest[0] ?? '', ask, write)
        : await runCommand({ services, actor }, text.replace(/^\/oversight\b\s*/i, ''));
      write(`${renderReply(reply)}\n`);
    } catch (error) {
      if (error instanceof EndOfInput) return;
      write(`${renderReply(replyFor(error))}\n`);
    }
  }
}

class EndOfInput extends Error {}

function replyFor(error: unknown): ReplyView {
  if (isAppError(error)) {
    return { ok: false, text: error.message, lines: error.fields.map((f) => `${f.path}: ${f.message}`) };
  }
  return { ok: false, text: 'Something went wrong; nothing was changed.' };
}

async function pressButton(
  services: Services,
  actor: Actor,
  verb: string,
  crnText: string,
  ask: (q: string) => Promise<string>,
  write: (text: string) => void,
): Promise<ReplyView> {
  const crn = normaliseCrn(crnText);
  const request = await liveRequestForCrn(services.deps.db, crn);
  if (!request) return { ok: false, text: `No open oversight notice for ${clean(crn) || 'that case'}.` };
  if (verb === 'escalate') {
    const result = await services.escalate(actor, { requestId: request.id });
    return { ok: true, text: `Escalated ${crn} to ${result.lead}.` };
  }
  if (verb === 'record') return recordAtConsole(services, actor, request.id, ask, write);
  const result = await services.acknowledge(actor, { requestId: request.id });
  return result.status === 'acknowledged'
    ? { ok: true, text: `Acknowledged ${crn}.` }
    : { ok: true, text: `${crn} was already acknowledged by ${result.by ?? 'someone'}.` };
}

/** Typed instead of an answer, leaves the form with nothing stored. */
const cancelWords = new Set(['cancel', 'quit', 'exit']);

class Cancelled extends Error {}

/**
 * Asks for the record form's fields one by one, with the labels every surface uses. Each answer is
 * checked as it is typed and asked again when wrong; `cancel` leaves the form. Remedial actions are
 * asked row by row until one is left blank.
 */
export async function askRecordForm(
  model: RecordFormModel,
  ask: (q: string) => Promise<string>,
  write: (text: string) => void,
  only?: Set<string>,
  answers: FormAnswers = {},
): Promise<FormAnswers> {
  // Rows from the first one whose action is left blank are not asked (when asking the whole form).
  let lastRow = Number.POSITIVE_INFINITY;
  for (const field of model.fields) {
    if (only && !only.has(field.path)) continue;
    if (field.row !== undefined && field.row >= lastRow) continue;
    if (!only && field.dependsOn && !answers[field.dependsOn]) continue;
    const rowStart = !only && field.row !== undefined && field.path.endsWith('.description');
    for (;;) {
      const answer = await ask(question(field, rowStart));
      if (cancelWords.has(answer.toLowerCase())) throw new Cancelled();
      if (rowStart && !answer) {
        lastRow = field.row as number;
        break;
      }
      const checked = checkAnswer(field, answer);
      if (checked.ok) {
        answers[field.path] = checked.value;
        break;
      }
      write(`${renderReply({ ok: false, text: checked.message })}\n`);
    }
  }
  return answers;
}

function question(field: FormField, rowStart: boolean): string {
  const choices =
    field.kind === 'rating' || field.kind === 'multichoice'
      ? ` (${(field.options ?? []).map((o) => o.label).join(', ')}${field.kind === 'multichoice' ? '; several with commas' : ''})`
      : field.kind === 'date'
        ? ' (e.g. 4/12/2026)'
        : field.kind === 'staff' && field.options?.length
          ? ` (${field.options.map((o) => o.label).join(', ')})`
          : '';
  const optional = !field.required && !rowStart ? ', optional' : '';
  const blank = rowStart ? ' (blank to finish)' : '';
  const section = rowStart && field.section ? `${field.section.replace(/ \(optional\)$/, '')}. ` : '';
  return `${section}${field.label}${choices}${blank}${optional}:`;
}

/** Record oversight at the console: the form, then the record; wrong fields are asked again. */
async function recordAtConsole(
  services: Services,
  actor: Actor,
  requestId: string,
  ask: (q: string) => Promise<string>,
  write: (text: string) => void,
): Promise<ReplyView> {
  const model = await openRecordForm(services, actor, requestId);
  write(`Recording oversight for ${model.crn}. Type cancel at any question to leave without saving.\n`);
  let answers: FormAnswers;
  try {
    answers = await askRecordForm(model, ask, write);
    for (;;) {
      const outcome = await submitRecord(services, actor, requestId, answers, model);
      if (outcome.ok) return outcome.reply;
      write(
        `${renderReply({ ok: false, text: outcome.message, lines: [...Object.entries(outcome.errors).map(([path, m]) => `${labelOf(model, path)}: ${m}`), ...outcome.unplaced] })}\n`,
      );
      const wrong = new Set(Object.keys(outcome.errors));
      if (wrong.size === 0) return { ok: false, text: 'The oversight record was not saved.' };
      write('Please answer those again; your other answers are kept.\n');
      answers = await askRecordForm(model, ask, write, wrong, answers);
    }
  } catch (error) {
    if (error instanceof Cancelled)
      return { ok: true, text: `Left the record form for ${model.crn}; nothing was saved.` };
    throw error;
  }
}

function labelOf(model: RecordFormModel, path: string): string {
  const field = model.fields.find((f) => f.path === path);
  if (!field) return path;
  return field.row !== undefined ? `Remedial action ${field.row}, ${field.label}` : field.label;
}
