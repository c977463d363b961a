import type { Command } from 'commander';
import { loadPolicy } from '../policy/index.ts';
import type { Io } from './runtime.ts';

export function registerPolicy(program: Command, io: Io): void {
  const policy = program.command('policy').description('the oversight policy');
  policy
    .command('check')
    .argument('[file]', 'policy YAML (default: the built-in policy)')
    .description('validate a policy file and list its rules')
    .action((file?: string) => {
      const p = loadPolicy(file);
      io.out(`policy ${p.version}: valid`);
    });
}
