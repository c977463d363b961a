import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import { runCommand } from '../../../commands/index.ts';
import { evidenceKinds, type Rating } from '../../../db/schema/index.ts';
import type { ReplyView } from '../../chat/views.ts';
import type { Actor } from '../../context.ts';
import { staffByCode } from '../../directory/index.ts';
import { isAppError } from '../../errors.ts';
import { liveRequestForCrn, normaliseCrn, type RecordInput } from '../../oversight/index.ts';
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
        ? await pressButton(services, actor, verb, rest[0] ?? '', ask)
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
): Promise<ReplyView> {
  const crn = normaliseCrn(crnText);
  const request = await liveRequestForCrn(services.deps.db, crn);
  if (!request) return { ok: false, text: `No open oversight notice for ${clean(crn) || 'that case'}.` };
  if (verb === 'escalate') {
    const result = await services.escalate(actor, { requestId: request.id });
    return { ok: true, text: `Escalated ${crn} to ${result.lead}.` };
  }
  if (verb === 'record') {
    const input = await askRecord(request.id, ask);
    const result = await services.record(actor, input);
    return {
      ok: true,
      text: `Oversight recorded for ${crn}; notice is ${result.status}.`,
      lines: result.actions.map(
        (a) => `Action ${a.ref}: owner ${a.owner}, due ${a.due}${a.overdue ? ' (overdue)' : ''}`,
      ),
    };
  }
  const result = await services.acknowledge(actor, { requestId: request.id });
  return result.status === 'acknowledged'
    ? { ok: true, text: `Acknowledged ${crn}.` }
    : { ok: true, text: `${crn} was already acknowledged by ${result.by ?? 'someone'}.` };
}

const ratingWords: Record<string, Rating> = {
  s: 'sufficient',
  sufficient: 'sufficient',
  i: 'insufficient',
  insufficient: 'insufficient',
  n: 'not_applicable',
  na: 'not_applicable',
  'n/a': 'not_applicable',
  not_applicable: 'not_applicable',
};

/** Asks for the record's fields one by one, with the labels every surface uses. */
async function askRecord(requestId: string, ask: (q: string) => Promise<string>): Promise<RecordInput> {
  const assurance = async (label: string) => {
    const rating =
      ratingWords[(await ask(`${label} [s]ufficient / [i]nsufficient / [n]ot applicable:`)).toLowerCase()];
    const note = await ask(`${label} note:`);
    return { rating: rating as Rating, note };
  };
  const victimsProtected = await assurance('Victims protected');
  const assessmentAndPlanning = await assurance('Assessment and planning');
  const timelyAndResponsive = await assurance('Timely and responsive');
  const escalation = await assurance('Escalation');
  const deficits = await ask('Deficits identified:');
  const rationale = await ask('Rationale:');
  const procedure = await ask('Variance from procedure (blank if none):');
  const reason = procedure ? await ask('Reason for variance:') : '';
  const evidenceText = await ask(`Evidence of oversight (comma-separated: ${evidenceKinds.join(', ')}):`);
  const evidence = evidenceText
    .split(/[,\s]+/)
    .map((e) => e.trim())
    .filter(Boolean);
  const actions: Array<{ description: string; owner: string; due: string }> = [];
  for (;;) {
    const description = await ask('Action (blank to finish):');
    if (!description) break;
    const owner = await ask('Owner (staff code):');
    const due = await ask('Due date (YYYY-MM-DD):');
    actions.push({ description, owner, due });
  }
  return {
    requestId,
    assurances: { victimsProtected, assessmentAndPlanning, timelyAndResponsive, escalation },
    deficits,
    rationale,
    variance: { procedure, reason },
    evidence: evidence as RecordInput['evidence'],
    actions,
  };
}
