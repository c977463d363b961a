import { readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultPolicyFile } from '../src/policy/load.ts';

/**
 * The built-in policy with timings in seconds, so notices and actions are chased during the soak:
 * reminders every `every` seconds, escalations after twice that. Written to a temporary file for
 * the child processes' POLICY_FILE.
 */
export function writeSoakPolicy(everySeconds: number, name: string): string {
  const s = (n: number) => `${Math.max(1, Math.round(n))}s`;
  const timings = {
    acknowledgeWithin: s(everySeconds),
    escalateUnacknowledgedAfter: s(everySeconds * 2),
    remindBeforeDue: '1d',
    repeatOverdueEvery: s(everySeconds * 2),
    escalateOverdueAfter: s(everySeconds * 3),
    remindAwaitingConfirmationEvery: s(everySeconds * 2),
    noOversightWithin: '1d',
  };
  const lines = Object.entries(timings).map(([k, v]) => `  ${k}: ${v}`);
  const text = readFileSync(defaultPolicyFile, 'utf8')
    .replace(/^version: .*$/m, 'version: "soak"')
    .replace(/^timings:\n(?: {2}.*\n?)*/m, `timings:\n${lines.join('\n')}\n`);
  const path = join(tmpdir(), `${name}.yaml`);
  writeFileSync(path, text);
  return path;
}
