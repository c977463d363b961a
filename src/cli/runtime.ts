import { openStorage, type Storage } from '../../db/client.ts';
import { EmbeddedDatabaseBusy } from '../../db/embedded.ts';
import { type Config, ConfigError, loadConfig } from '../config.ts';
import { isAppError } from '../errors.ts';

/** Output of the CLI: people read stdout; errors go to stderr with no stack trace for expected failures. */
export type Io = { out: (line: string) => void; err: (line: string) => void };
export const processIo: Io = {
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
};

/** Exit codes: 0 done, 1 refused or failed, 2 misuse. */
export class ExitError extends Error {
  constructor(
    message: string,
    readonly exitCode = 1,
  ) {
    super(message);
  }
}

export function config(): Config {
  return loadConfig();
}

/** Opens the configured storage, runs `fn`, and closes it. */
export async function withStorage<T>(cfg: Config, fn: (storage: Storage) => Promise<T>): Promise<T> {
  const storage = await openStorage({ databaseUrl: cfg.databaseUrl, dataDir: cfg.dataDir });
  try {
    return await fn(storage);
  } finally {
    await storage.close();
  }
}

/** Prints an error the way a person can act on it. */
export function reportError(io: Io, error: unknown): number {
  if (error instanceof ConfigError || error instanceof EmbeddedDatabaseBusy) {
    io.err(error.message);
    return 1;
  }
  if (error instanceof ExitError) {
    io.err(error.message);
    return error.exitCode;
  }
  if (isAppError(error)) {
    io.err(`error: ${error.message}`);
    for (const field of error.fields) io.err(`  ${field.path}: ${field.message}`);
    return 1;
  }
  const e = error as Error;
  io.err(`error: ${e?.message ?? String(error)}`);
  return 1;
}
