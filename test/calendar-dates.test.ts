import { readdir, readFile } from 'node:fs/promises';
import { join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * A calendar date written into a test passes the day it is written and fails once the calendar
 * passes it (issue 14: an action "due 2026-12-01" became overdue). Tests, benches, soaks and the
 * demo compute their dates from the clock (test/support/dates.ts) or from a `now` they control.
 * This scan fails on a literal YYYY-MM-DD in their code, outside comments, unless the file is
 * allowed below because the date itself is what it tests.
 */

const root = resolve(import.meta.dirname, '..');

/** The folders scanned: everything that runs against a clock but is not the product. */
const scanned = ['test', 'bench', 'soak', 'src/demo'];

/** Files that may write calendar dates, each with why the date itself is the subject. */
const allowed: Record<string, string> = {
  'test/time.test.ts':
    'calendar arithmetic: overdue-from and local days across the March and October clock changes',
  'test/digest-schedule.test.ts':
    'the digest schedule across the March and October clock changes, and a leap year',
  'test/slack-render.test.ts':
    'a pure renderer given fixed instants, checked against the words people read (Sat 21 Nov 10:00)',
  'test/digest.test.ts':
    "the digest's own clock, fixed on the Monday after the March clock change to check BST days and times; its due dates are computed from it",
};

// A date alone or at the start of a date-time (2026-11-20T10:00Z): no digit either side.
const datePattern = /(?<![\w-])(?:19|20)\d{2}-[01]\d-[0-3]\d(?!\d)/g;

type Finding = { line: number; date: string };

/**
 * The calendar dates written in `source`, outside comments: in quoted and template strings,
 * regular expressions and bare code alike. A quote is closed at the end of its line, so an
 * apostrophe in a regular expression cannot hide the lines after it.
 */
function calendarDates(source: string): Finding[] {
  const code = withoutComments(source);
  const findings: Finding[] = [];
  code.split('\n').forEach((text, i) => {
    for (const match of text.matchAll(datePattern)) findings.push({ line: i + 1, date: match[0] });
  });
  return findings;
}

/** `source` with its comments blanked (newlines kept, so line numbers still match). */
function withoutComments(source: string): string {
  let out = '';
  let quote: string | null = null;
  for (let i = 0; i < source.length; i++) {
    const c = source[i]!;
    const next = source[i + 1];
    if (quote) {
      out += c;
      if (c === '\\') {
        out += next ?? '';
        i++;
      } else if (c === quote || (c === '\n' && quote !== '`')) {
        quote = null;
      }
    } else if (c === '/' && next === '/') {
      while (i < source.length && source[i] !== '\n') i++;
      out += '\n';
    } else if (c === '/' && next === '*') {
      const end = source.indexOf('*/', i + 2);
      const stop = end === -1 ? source.length : end + 2;
      out += source.slice(i, stop).replace(/[^\n]/g, ' ');
      i = stop - 1;
    } else {
      if (c === "'" || c === '"' || c === '`') quote = c;
      out += c;
    }
  }
  return out;
}

async function codeFiles(folder: string): Promise<string[]> {
  const entries = await readdir(join(root, folder), { recursive: true, withFileTypes: true });
  return entries
    .filter((e) => e.isFile() && /\.(?:[cm]?[jt]s|tsx)$/.test(e.name))
    .map((e) => relative(root, join(e.parentPath, e.name)))
    .sort();
}

describe('calendar dates written into tests', () => {
  // Built by joining, so this file writes no date of its own.
  const date = ['2026', '12', '01'].join('-');
  const other = ['2030', '01', '31'].join('-');

  it('finds a date in a quoted string, a template, a regular expression and bare code', () => {
    const sample = [
      `const a = { due: '${date}' };`,
      `const b = "${other}";`,
      `const c = \`due \${x} and ${date}\`;`,
      `expect(text).toMatch(/A\\d+ open, due ${date}/);`,
      `const d = new Date('${other}T10:00:00Z');`,
      `fetch('https://example.test/x', { due: '${date}' });`,
    ].join('\n');
    expect(calendarDates(sample)).toEqual([
      { line: 1, date },
      { line: 2, date: other },
      { line: 3, date },
      { line: 4, date },
      { line: 5, date: other },
      { line: 6, date },
    ]);
  });

  it('leaves comments, and things that only look like dates, alone', () => {
    const sample = [
      `// The clocks go forward on ${date}.`,
      `/* checked on ${other}`,
      `   and again on ${date} */ const due = daysFromToday(7);`,
      `const version = '2026-11-demo'; // a policy version, not a day`,
      `const ref = 'A12026-12-011';`,
      `expect(reply).toMatch(/don't know you/); const later = '${date}';`,
    ].join('\n');
    expect(calendarDates(sample)).toEqual([{ line: 6, date }]);
  });

  it('no test, bench, soak or demo file writes one, outside the allow-list', async () => {
    const files = (await Promise.all(scanned.map(codeFiles))).flat();
    expect(files).toContain('test/calendar-dates.test.ts');
    const found: string[] = [];
    for (const file of files) {
      if (file in allowed) continue;
      for (const f of calendarDates(await readFile(join(root, file), 'utf8'))) {
        found.push(`${file}:${f.line}: ${f.date}`);
      }
    }
    expect(
      found,
      'compute dates from the clock (test/support/dates.ts) or from the `now` the test controls; ' +
        'allow a file in test/calendar-dates.test.ts only when the date itself is the subject',
    ).toEqual([]);
  });

  it('allows only files that exist and still write a date', async () => {
    for (const [file, reason] of Object.entries(allowed)) {
      expect(reason.length, file).toBeGreaterThan(0);
      const dates = calendarDates(await readFile(join(root, file), 'utf8'));
      expect(dates.length, `${file} no longer writes a date: take it off the allow-list`).toBeGreaterThan(0);
    }
  });
});
