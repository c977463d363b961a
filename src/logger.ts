import { type Logger, pino } from 'pino';

export type { Logger };

/**
 * JSON logs. Personal data never goes in: log ids, codes and counts, not names, reasons or notes.
 * The redaction list is a second line of defence for fields that must never appear.
 */
export function createLogger(level: string, destination?: NodeJS.WritableStream): Logger {
  return pino(
    {
      level,
      base: { service: 'oversight' },
      redact: {
        paths: [
          'req.headers.authorization',
          'req.headers.cookie',
          'req.headers["x-slack-signature"]',
          'req.headers["x-oversight-signature"]',
          '*.token',
          '*.password',
          '*.secret',
        ],
        censor: '[redacted]',
      },
    },
    destination as pino.DestinationStream | undefined,
  );
}
