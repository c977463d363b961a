import type { TimerPayload } from '../../jobs/queues.ts';

/** What became of one timer job. */
export type TimerOutcome =
  /** The row no longer exists. */
  | { status: 'gone' }
  /** The token is stale (the row changed since) or nothing is pending; `current` is the row's live timer. */
  | { status: 'stale'; current: { payload: TimerPayload; at: Date } | null }
  /** The job ran before the row's due time (clock skew, or a timer moved later); run it again then. */
  | { status: 'early'; at: Date }
  /** Sent what was due (possibly nothing) and planned the next timer. */
  | { status: 'fired'; sent: string[]; next: Date | null };

/** A job may run this much before the due time and still count as on time (clocks and timers differ a little). */
export const earlyToleranceMs = 250;

type TimerRow = { id: string; version: number; nextDueAt: Date | null };

/**
 * The version-token check every timer makes first, on the locked row: a job for an older version
 * (the notice was acknowledged, the action confirmed, or this step already ran) does nothing.
 * Returns the outcome to stop with, or the instant to plan at.
 */
export function checkTimer(
  subject: TimerPayload['subject'],
  row: TimerRow | undefined,
  payload: TimerPayload,
  now: Date,
): TimerOutcome | Date {
  if (!row) return { status: 'gone' };
  if (row.version !== payload.version || row.nextDueAt === null) {
    return {
      status: 'stale',
      current: row.nextDueAt
        ? { payload: { subject, id: row.id, version: row.version }, at: row.nextDueAt }
        : null,
    };
  }
  const early = row.nextDueAt.getTime() - now.getTime();
  if (early > earlyToleranceMs) return { status: 'early', at: row.nextDueAt };
  return early > 0 ? row.nextDueAt : now;
}
