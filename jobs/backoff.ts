/**
 * The one backoff policy of every queue, and of the waits a job puts itself through: BullMQ's
 * exponential backoff (the first retry after `delay`, each next one twice as long). Failed
 * attempts are retried by BullMQ from `retries`; waits a processor schedules itself (a notice not
 * posted yet, an update behind another) take their delay from `backoffDelay`, the same formula.
 */

/** Exponential backoff from `delay` ms, in BullMQ's job-option form. */
export type Backoff = { type: 'exponential'; delay: number };

/** Exponential backoff starting at `delay` ms. */
export const exponential = (delay: number): Backoff => ({ type: 'exponential', delay });

/** How many times each queue's jobs are tried, and how long between tries. */
export const retries = {
  /** A chat message: seven retries over about two minutes ride out a short platform outage. */
  delivery: { attempts: 8, backoff: exponential(1000) },
  /** A timer: nine retries over about seventeen minutes; its job is idempotent. */
  timers: { attempts: 10, backoff: exponential(2000) },
  /** A digest that failed on a database blip is tried again (after 1, then 2 minutes); its dedupe key stops a second copy. */
  digest: { attempts: 3, backoff: exponential(60_000) },
} as const;

/**
 * The delay before the `n`th try (1 = the first retry): BullMQ's exponential formula,
 * delay × 2^(n−1), capped at `maxMs`.
 */
export function backoffDelay(backoff: Backoff, n: number, maxMs = Number.POSITIVE_INFINITY): number {
  return Math.min(Math.round(2 ** (n - 1) * backoff.delay), maxMs);
}
