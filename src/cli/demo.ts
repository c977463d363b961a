import type { Command } from 'commander';
import { runDemo } from '../demo/run.ts';
import { config, type Io } from './runtime.ts';

export function registerDemo(program: Command, io: Io): void {
  program
    .command('demo')
    .description('a guided tour of the whole loop on one machine (embedded database; needs only Redis)')
    .action(async () => {
      const cfg = config();
      await runDemo({ redisUrl: cfg.redisUrl, write: (text) => process.stdout.write(text) });
      io.out('');
    });
}
