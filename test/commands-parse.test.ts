import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { helpCommand } from '../commands/help.ts';
import { type CommandName, commandNames, parseCommand, refPattern } from '../commands/parse.ts';
import { crnPattern } from '../src/oversight/refer.ts';

/** Any text at all, including astral characters, control characters and lone surrogates. */
const anyText = fc.oneof(fc.string({ unit: 'binary', maxLength: 200 }), fc.string({ maxLength: 200 }));
const space = fc.stringMatching(/^[ \t\u00a0]{1,4}$/);
const randomCase = (word: string) =>
  fc
    .array(fc.boolean(), { minLength: word.length, maxLength: word.length })
    .map((upper) => [...word].map((c, i) => (upper[i] ? c.toUpperCase() : c.toLowerCase())).join(''));
const crn = fc.stringMatching(/^[A-Za-z]\d{6}$/);
const ref = fc.integer({ min: 1, max: 999_999 }).map((n) => `a${n}`);
/** Free text with something in it besides spacing. */
const freeText = fc.string({ minLength: 1, maxLength: 80 }).filter((s) => s.trim().length > 0);

/** The first word the parser sees, after an optional `/oversight`. */
function verbOf(text: string): string {
  const line = text.trim().replace(/^\/?oversight(?:\s+|$)/i, '');
  return (line.split(/\s+/)[0] ?? '').toLowerCase();
}

describe('the command parser', () => {
  it('never throws, whatever it is given', () => {
    fc.assert(
      fc.property(fc.oneof(anyText, fc.anything()), (input) => {
        expect(() => parseCommand(input)).not.toThrow();
      }),
      { numRuns: 2000 },
    );
  });

  it('anything it does not understand yields help, and help always renders', () => {
    fc.assert(
      fc.property(anyText, (text) => {
        const command = parseCommand(text);
        const reply = helpCommand(command.name === 'help' ? command : { name: 'help' });
        expect(reply.text.length).toBeGreaterThan(0);
        if (command.name === 'help') return;
        // Understood: the first word names the command, and every field it carries is well formed.
        expect(command.name).toBe(verbOf(text));
        if ('crn' in command) expect(command.crn).toMatch(crnPattern);
        if ('ref' in command) expect(command.ref).toMatch(refPattern);
        for (const field of ['reason', 'evidence'] as const) {
          if (field in command) expect((command as Record<string, string>)[field]?.trim()).not.toBe('');
        }
      }),
      { numRuns: 2000 },
    );
  });

  it('a first word that is not a command yields help naming it', () => {
    const notCommand = fc
      .stringMatching(/^\S{1,20}$/)
      .filter(
        (w) => !(commandNames as readonly string[]).includes(w.toLowerCase()) && !/^\/?oversight$/i.test(w),
      );
    fc.assert(
      fc.property(notCommand, anyText, (word, rest) => {
        const command = parseCommand(`${word} ${rest}`);
        expect(command).toMatchObject({ name: 'help', problem: expect.stringContaining("don't know") });
      }),
    );
  });

  it('is tolerant of spacing and case, and keeps the rest of the line verbatim', () => {
    fc.assert(
      fc.property(
        randomCase('refer'),
        space,
        crn,
        space,
        freeText,
        fc.boolean(),
        (verb, s1, id, s2, reason, slash) => {
          const command = parseCommand(`${slash ? '/oversight ' : ''}  ${verb}${s1}${id}${s2}${reason}  `);
          expect(command).toEqual({ name: 'refer', crn: id.toUpperCase(), reason: reason.trim() });
        },
      ),
    );
    fc.assert(
      fc.property(
        fc.constantFrom('done', 'reopen', 'cancel'),
        space,
        ref,
        space,
        freeText,
        (verb, s1, r, s2, text) => {
          const command = parseCommand(`${verb.toUpperCase()}${s1}${r}${s2}${text}`);
          expect(command).toMatchObject({ name: verb, ref: r.toUpperCase() });
          expect(Object.values(command)).toContain(text.trim());
        },
      ),
    );
  });

  it('reads each command', () => {
    expect(parseCommand('refer x123456 new DA call-out\nat home')).toEqual({
      name: 'refer',
      crn: 'X123456',
      reason: 'new DA call-out\nat home',
    });
    expect(parseCommand('refer X123456: reason')).toMatchObject({ name: 'refer', crn: 'X123456' });
    expect(parseCommand(' Status  x123456 ')).toEqual({ name: 'status', crn: 'X123456' });
    expect(parseCommand('ACTIONS')).toEqual({ name: 'actions' });
    expect(parseCommand('done a12 plan revised')).toEqual({
      name: 'done',
      ref: 'A12',
      evidence: 'plan revised',
    });
    expect(parseCommand('confirm A12')).toEqual({ name: 'confirm', ref: 'A12' });
    expect(parseCommand('reopen A12 not shared')).toEqual({
      name: 'reopen',
      ref: 'A12',
      reason: 'not shared',
    });
    expect(parseCommand('cancel A12 done by MASH')).toEqual({
      name: 'cancel',
      ref: 'A12',
      reason: 'done by MASH',
    });
    expect(parseCommand('digest')).toEqual({ name: 'digest' });
    expect(parseCommand('help done')).toEqual({ name: 'help', topic: 'done' });
    expect(parseCommand('')).toEqual({ name: 'help' });
    expect(parseCommand('/oversight')).toEqual({ name: 'help' });
  });

  it.each<[string, CommandName, RegExp]>([
    ['refer', 'refer', /needs a CRN/],
    ['refer banana reason', 'refer', /"banana" is not a CRN/],
    ['refer X12345 reason', 'refer', /not a CRN/],
    ['refer X123456', 'refer', /needs a reason after X123456/],
    ['refer X123456    ', 'refer', /needs a reason/],
    ['status', 'status', /needs a CRN/],
    ['status 1234567', 'status', /not a CRN/],
    ['status X123456 please', 'status', /takes only a CRN/],
    ['actions mine', 'actions', /takes nothing/],
    ['done', 'done', /needs an action's ref/],
    ['done 12 plan revised', 'done', /"12" is not an action's ref/],
    ['done X123456 plan revised', 'done', /not an action's ref/],
    ['done A12', 'done', /needs evidence/],
    ['confirm', 'confirm', /needs an action's ref/],
    ['confirm A12 looks good', 'confirm', /nothing else is recorded/],
    ['reopen A12', 'reopen', /needs a reason/],
    ['cancel A12 \t ', 'cancel', /needs a reason/],
    ['digest now', 'digest', /takes nothing/],
  ])('%j is malformed: help for %s', (text, topic, problem) => {
    const command = parseCommand(text);
    expect(command).toMatchObject({ name: 'help', topic, problem: expect.stringMatching(problem) });
  });
});
