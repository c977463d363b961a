import { readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Policy, PolicyTimings } from '../src/policy/index.ts';
import { defaultPolicyFile, parsePolicy } from '../src/policy/load.ts';
import { uniqueName } from './support/names.ts';

/** Timings in seconds, so reminder tests run in seconds (durations as the policy file writes them). */
export type TimingsText = Record<keyof PolicyTimings, string>;

/** The built-in policy's YAML with its timings replaced. */
export function policyYaml(timings: TimingsText): string {
  const text = readFileSync(defaultPolicyFile, 'utf8');
  const lines = Object.entries(timings).map(([k, v]) => `  ${k}: ${v}`);
  return text.replace(/^timings:\n(?: {2}.*\n?)*/m, `timings:\n${lines.join('\n')}\n`);
}

export function secondsPolicy(timings: TimingsText): Policy {
  return parsePolicy('test-policy.yaml', policyYaml(timings));
}

/** Writes the policy to a temporary file, for a child process's POLICY_FILE. */
export function writePolicyFile(timings: TimingsText): string {
  const path = join(tmpdir(), `${uniqueName('oversight-policy-')}.yaml`);
  writeFileSync(path, policyYaml(timings));
  return path;
}
