import type { Command } from 'commander';
import { cliActor } from '../context.ts';
import { loadDirectory } from '../directory/index.ts';
import { readAdminFile } from '../yaml-file.ts';
import { scheduleHandoverTimers, syncSchedulesAfterLoad } from './digest.ts';
import { printHandover } from './handover.ts';
import { config, type Io, withStorage } from './runtime.ts';

export function registerDirectory(program: Command, io: Io): void {
  const directory = program.command('directory').description('teams and staff');
  directory
    .command('load')
    .argument('<file>', 'directory YAML (teams and staff)')
    .option('--prune', 'deactivate everyone absent from the file (their open work goes to the team lead)')
    .description('upsert teams and staff from a YAML file; a bad file is refused whole')
    .action(async (file: string, options: { prune?: boolean }) => {
      const cfg = config();
      const text = readAdminFile(file, 'directory file');
      await withStorage(cfg, async (storage) => {
        await storage.migrate();
        const result = await loadDirectory(
          { db: storage.db, actor: cliActor, now: () => new Date() },
          { name: file, text, prune: options.prune === true },
        );
        const line = (what: string, c: { created: number; updated: number; unchanged: number }) =>
          `${what}: ${c.created} created, ${c.updated} updated, ${c.unchanged} unchanged`;
        io.out(line('teams', result.teams));
        io.out(line('staff', result.staff));
        for (const handover of result.deactivated) printHandover(io, handover);
        if (result.absent.length > 0) {
          io.out(
            `${result.absent.length} active ${result.absent.length === 1 ? 'person is' : 'people are'} absent from the file and left as they are; --prune would deactivate them`,
          );
        }
        await scheduleHandoverTimers(cfg, io, result.timers);
        // A new digest time, timezone or lead takes effect from the next run, without a restart.
        await syncSchedulesAfterLoad(cfg, storage.db, result.changedTeams, io);
      });
    });
}
