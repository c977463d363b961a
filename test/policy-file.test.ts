import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parsePolicy, ruleIds } from '../src/policy/index.ts';
import { runCli } from './support/cli.ts';

describe('the policy file and `oversight policy check`', () => {
  const file = (name: string, text: string) => {
    const path = join(tmpdir(), `${process.pid}-${name}`);
    writeFileSync(path, text);
    return path;
  };

  it('checks the built-in policy and lists every rule with its outcomes', async () => {
    const result = await runCli(['policy', 'check'], {});
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^policy 2026-11-default: valid\nrules:\n/);
    for (const id of ruleIds)
      expect(result.stdout).toMatch(new RegExp(`^ {2}${id.replace('.', '\\.')} `, 'm'));
    expect(result.stdout).toMatch(/adult\.rosh_threshold +required +adult case assessed RoSH HIGH or above/);
    expect(result.stdout).toMatch(/allocation +required\|none +.*HIGH needs PO/);
    expect(result.stdout).toContain('acknowledgeWithin: 1d');
  });

  it('refuses a bad file naming each line', async () => {
    const bad = `version: ""
thresholds:
  youth: { rosh: MEDIUM, vulnerability: EXTREME }
  adult: { rosh: HIGH }
police: { requiredOffenceCategories: [Violence] }
registrations: { required: [] }
allocation: { minimumGrade: { HIGH: BOSS } }
timings: { acknowledgeWithin: 1 day }
`;
    const result = await runCli(['policy', 'check', file('bad-policy.yaml', bad)], {});
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/line 1: version: must name the policy version/);
    expect(result.stderr).toMatch(/line 3: thresholds\.youth\.vulnerability/);
    expect(result.stderr).toMatch(
      /line 5: police\.requiredOffenceCategories\[0\]: must be a code in lower case/,
    );
    expect(result.stderr).toMatch(/line 7: allocation\.minimumGrade\.HIGH/);
    expect(result.stderr).toMatch(/line 8: timings\.acknowledgeWithin: must be a duration/);
  });

  it('keeps durations as text and milliseconds, so tests can run policies in seconds', () => {
    const text = `version: "fast"
thresholds: { youth: { rosh: MEDIUM, vulnerability: MEDIUM }, adult: { rosh: HIGH } }
police: { requiredOffenceCategories: [violence] }
registrations: { required: [mappa] }
allocation: { minimumGrade: {} }
timings: { acknowledgeWithin: 2s, escalateUnacknowledgedAfter: 4s, remindBeforeDue: 1s, repeatOverdueEvery: 1s, escalateOverdueAfter: 3s, remindAwaitingConfirmationEvery: 1s, noOversightWithin: 5s }
`;
    const policy = parsePolicy('fast.yaml', text);
    expect(policy.timings.acknowledgeWithin).toEqual({ text: '2s', ms: 2000 });
    expect(policy.version).toBe('fast');
  });
});
