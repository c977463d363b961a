import type { Command } from 'commander';
import { config, type Io, withStorage } from './runtime.ts';

export function registerMigrate(program: Command, io: Io): void {
  program
    .command('migrate')
    .description('apply database migrations (also done by `start`)')
    .action(async () => {
      const cfg = config();
      await withStorage(cfg, async (storage) => {
        await storage.migrate();
        io.out(
          `migrations applied (${storage.driver === 'pglite' ? `embedded database in ${cfg.dataDir}` : 'Postgres'})`,
        );
      });
    });
}
