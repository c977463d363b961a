import type { Logger } from './logger.ts';

/**
 * postgres.js 3.4.9 has a known bug (porsager/postgres#1208, fix proposed in #1209): when a
 * connection's backend dies in the middle of a transaction, the transaction is rejected
 * (CONNECTION_CLOSED), rolled back by Postgres and answered with 503, so nothing is half-written;
 * but the driver then still issues its own ROLLBACK on the dead connection. That stray ROLLBACK
 * escapes in one of two ways, depending on timing: written to a socket the driver has already
 * nulled, from a setImmediate callback (an uncaught TypeError), or rejected with CONNECTION_CLOSED
 * inside a promise the driver no longer listens to (an unhandled rejection).
 */
export function isPostgresJsNullSocketWrite(error: unknown): boolean {
  if (!(error instanceof TypeError)) return false;
  const stack = error.stack ?? '';
  return (
    /Cannot read properties of null \(reading 'write'\)/.test(error.message) &&
    /nextWrite/.test(stack) &&
    fromPostgresJsConnection(stack)
  );
}

/** The unhandled rejection of that stray ROLLBACK: a lost-connection error made by the driver. */
export function isPostgresJsLostConnection(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const code = (error as { code?: unknown }).code;
  return (
    typeof code === 'string' &&
    /^CONNECTION_(CLOSED|ENDED|DESTROYED)$/.test(code) &&
    fromPostgresJsConnection(error.stack ?? '')
  );
}

const fromPostgresJsConnection = (stack: string) =>
  /postgres[\\/](cjs[\\/])?src[\\/]connection\.js/.test(stack);

/**
 * Keeps a long-running process up through that one known driver bug, and only that: any other
 * uncaught exception or unhandled rejection is logged and ends the process, so a supervisor
 * restarts it in a clean state.
 */
export function installProcessGuards(logger: Logger, exit: (code: number) => void = process.exit): void {
  process.on('uncaughtException', (error, origin) => {
    const known =
      origin === 'unhandledRejection'
        ? isPostgresJsLostConnection(error)
        : isPostgresJsNullSocketWrite(error);
    if (known) {
      logger.warn(
        { err: { type: 'postgres.js#1208', origin } },
        'ignored a stray write to a closed Postgres connection',
      );
      return;
    }
    logger.fatal({ err: error }, 'uncaught exception; exiting');
    exit(1);
  });
}
