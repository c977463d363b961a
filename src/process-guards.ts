import type { Logger } from './logger.ts';

/**
 * postgres.js 3.4.9 has a known bug (porsager/postgres#1208, fix proposed in #1209): when a
 * connection's backend dies in the middle of a transaction, the driver's own ROLLBACK is written
 * to a socket it has already nulled, from a setImmediate callback, as an uncaught TypeError. The
 * transaction itself has already been rejected (CONNECTION_CLOSED), rolled back by Postgres and
 * answered with 503, so nothing is half-written; only the stray write remains.
 */
export function isPostgresJsNullSocketWrite(error: unknown): boolean {
  if (!(error instanceof TypeError)) return false;
  const stack = error.stack ?? '';
  return (
    /Cannot read properties of null \(reading 'write'\)/.test(error.message) &&
    /nextWrite/.test(stack) &&
    /postgres[\\/](cjs[\\/])?src[\\/]connection\.js/.test(stack)
  );
}

/**
 * Keeps a long-running process up through that one known driver bug, and only that: any other
 * uncaught exception is logged and ends the process, so a supervisor restarts it in a clean state.
 */
export function installProcessGuards(logger: Logger, exit: (code: number) => void = process.exit): void {
  process.on('uncaughtException', (error) => {
    if (isPostgresJsNullSocketWrite(error)) {
      logger.warn({ err: { type: 'postgres.js#1208' } }, 'ignored a write to a closed Postgres connection');
      return;
    }
    logger.fatal({ err: error }, 'uncaught exception; exiting');
    exit(1);
  });
}
