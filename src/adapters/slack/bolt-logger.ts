import { type Logger as BoltLogger, LogLevel } from '@slack/bolt';
import type { Logger } from '../../logger.ts';

/**
 * Bolt's logger interface over our pino logger. Only Bolt's own message strings are kept: the
 * objects it sometimes adds can hold request payloads, which may carry personal data.
 */
export function boltLogger(logger: Logger): BoltLogger {
  const child = logger.child({ component: 'slack' });
  let level: LogLevel = LogLevel.WARN;
  const text = (args: unknown[]) =>
    args
      .filter((a): a is string => typeof a === 'string')
      .join(' ')
      .slice(0, 300);
  return {
    debug: (...args: unknown[]) => child.debug(text(args)),
    info: (...args: unknown[]) => child.info(text(args)),
    warn: (...args: unknown[]) => child.warn(text(args)),
    error: (...args: unknown[]) => child.error(text(args)),
    setLevel: (l: LogLevel) => {
      level = l;
    },
    getLevel: () => level,
    setName: () => {},
  };
}
