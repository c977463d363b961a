import { Command, CommanderError } from 'commander';
import { registerDemo } from './demo.ts';
import { registerDigest } from './digest.ts';
import { registerDirectory } from './directory.ts';
import { registerEvent } from './event.ts';
import { registerExport } from './export.ts';
import { registerMigrate } from './migrate.ts';
import { registerPolicy } from './policy.ts';
import { registerReconcile } from './reconcile.ts';
import { type Io, processIo, reportError } from './runtime.ts';
import { registerServe } from './serve.ts';
import { registerStaff } from './staff.ts';
import { registerTeams } from './teams.ts';

/** Builds the `oversight` command line. */
export function buildProgram(io: Io = processIo): Command {
  const program = new Command('oversight')
    .description('Management oversight of risk of harm and vulnerability, in chat')
    .showHelpAfterError()
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.out(s.trimEnd()), writeErr: (s) => io.err(s.trimEnd()) });
  registerServe(program, io);
  registerMigrate(program, io);
  registerDirectory(program, io);
  registerStaff(program, io);
  registerPolicy(program, io);
  registerReconcile(program, io);
  registerEvent(program, io);
  registerDigest(program, io);
  registerExport(program, io);
  registerTeams(program, io);
  registerDemo(program, io);
  return program;
}

/** Entry point of bin/oversight.js. */
export async function main(argv: string[], io: Io = processIo): Promise<void> {
  try {
    await buildProgram(io).parseAsync(argv);
  } catch (error) {
    if (error instanceof CommanderError) {
      process.exitCode = error.exitCode === 0 ? 0 : 2;
      return;
    }
    process.exitCode = reportError(io, error);
  }
}
