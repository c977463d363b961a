import { Backoffs, type MinimalJob } from 'bullmq';
import { describe, expect, it } from 'vitest';
import { backoffDelay, exponential, retries } from '../jobs/backoff.ts';

describe('the one backoff policy', () => {
  it("gives a job's own waits the delays BullMQ gives its retries", () => {
    for (const backoff of [exponential(250), retries.delivery.backoff, retries.timers.backoff]) {
      for (let n = 1; n <= 10; n++) {
        const bullmq = Backoffs.calculate(backoff, n, new Error('retry'), {} as MinimalJob);
        expect(backoffDelay(backoff, n)).toBe(bullmq);
      }
    }
  });

  it('doubles from its first delay and stops at the cap', () => {
    const delays = [1, 2, 3, 4, 5, 6].map((n) => backoffDelay(exponential(250), n, 5_000));
    expect(delays).toEqual([250, 500, 1000, 2000, 4000, 5000]);
  });
});
