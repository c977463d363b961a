import { Command, CommanderError } from 'commander';
import { registerDirectory } from './directory.ts';
import { registerMigrate } from './migrate.ts';
import { registerPolicy } from './policy.ts';
import { type Io, processIo, reportError } from './runtime.ts';
import { registerServe } from './serve.ts';

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
  registerPolicy(program, io);
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
