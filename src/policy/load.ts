import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readAdminFile, YamlFile } from '../yaml-file.ts';
import { type Policy, policySchema } from './schemas.ts';

export const defaultPolicyFile = resolve(dirname(fileURLToPath(import.meta.url)), 'default-policy.yaml');

/** Parses policy YAML text; every problem is reported with its line. */
export function parsePolicy(name: string, text: string): Policy {
  return new YamlFile(name, text).parse(policySchema);
}

/** Loads the policy from a file, or the built-in default when no file is given. */
export function loadPolicy(file?: string): Policy {
  const path = file ?? defaultPolicyFile;
  return parsePolicy(path, readAdminFile(path, 'policy file'));
}
