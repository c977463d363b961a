import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { invalid } from '../errors.ts';
import { YamlFile } from '../yaml-file.ts';
import { type Policy, policySchema } from './schemas.ts';

export const defaultPolicyFile = resolve(dirname(fileURLToPath(import.meta.url)), 'default-policy.yaml');

/** Parses policy YAML text; every problem is reported with its line. */
export function parsePolicy(name: string, text: string): Policy {
  return new YamlFile(name, text).parse(policySchema);
}

/** Loads the policy from a file, or the built-in default when no file is given. */
export function loadPolicy(file?: string): Policy {
  const path = file ?? defaultPolicyFile;
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw invalid(`cannot read policy file ${path}: ${(error as NodeJS.ErrnoException).code ?? 'error'}`);
  }
  return parsePolicy(path, text);
}
