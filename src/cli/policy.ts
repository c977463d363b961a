import type { Command } from 'commander';
import { describeRules, loadPolicy } from '../policy/index.ts';
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
      io.out('rules:');
      const rules = describeRules(p);
      const width = Math.max(...rules.map((r) => r.id.length));
      for (const rule of rules) {
        io.out(`  ${rule.id.padEnd(width)}  ${rule.outcomes.join('|').padEnd(13)}  ${rule.when}`);
      }
      io.out('timings:');
      for (const [name, value] of Object.entries(p.timings)) io.out(`  ${name}: ${value.text}`);
    });
}
