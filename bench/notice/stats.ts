/** Small statistics helpers of the notice benchmark. */

export function percentile(values: number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[index]!;
}

export const ms = (value: number) => `${Math.round(value)} ms`;

/**
 * The earliest each message could go under the per-channel pace (GCRA: one per interval, `burst`
 * back-to-back), given when each was accepted: the floor no implementation could beat.
 */
export function paceFloor(acceptedAt: number[], intervalMs: number, burst: number): number[] {
  let tat = 0;
  return acceptedAt.map((t) => {
    tat = Math.max(tat, t);
    const at = Math.max(t, tat - burst * intervalMs);
    tat += intervalMs;
    return at - t;
  });
}

/** The most messages any sliding window of `windowMs` saw, from sorted arrival times. */
export function maxInWindow(times: number[], windowMs: number): number {
  let best = 0;
  let start = 0;
  for (let end = 0; end < times.length; end++) {
    while (times[end]! - times[start]! >= windowMs) start++;
    best = Math.max(best, end - start + 1);
  }
  return best;
}
