import type { Command } from 'commander';
import { cliActor } from '../context.ts';
import { deactivateStaff } from '../directory/index.ts';
import { scheduleHandoverTimers } from './digest.ts';
import { printHandover } from './handover.ts';
import { config, type Io, withStorage } from './runtime.ts';

/**
 * `oversight staff deactivate CODE`: someone has left. They are refused everywhere from now on,
 * receive nothing, and their open actions go to their team's lead (SPEC 'Directory').
 */
export function registerStaff(program: Command, io: Io): void {
  const staff = program.command('staff').description('members of staff');
  staff
    .command('deactivate')
    .argument('<code>', 'staff code, as in the directory')
    .description('mark someone as having left: refused everywhere; their open work goes to the team lead')
    .action(async (code: string) => {
      const cfg = config();
      await withStorage(cfg, async (storage) => {
        await storage.migrate();
        const result = await deactivateStaff(
          { db: storage.db, actor: cliActor, now: () => new Date() },
          { code },
        );
        if (!result.handover) {
          io.out(`${code} is already deactivated; nothing was changed.`);
          return;
        }
        printHandover(io, result.handover);
        await scheduleHandoverTimers(cfg, io, result.timers);
      });
    });
}
