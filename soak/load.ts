import { sleep } from './free-port.ts';
import { hostileSteps } from './hostile.ts';
import { type StepContext, steps } from './steps.ts';

type Step = (ctx: StepContext) => Promise<void>;

/** The share of steps that are attempts to do what one must not. */
const hostileShare = 0.08;

function weighted(list: Array<[number, Step]>): Step {
  const total = list.reduce((sum, [w]) => sum + w, 0);
  let roll = Math.random() * total;
  for (const [w, step] of list) {
    roll -= w;
    if (roll < 0) return step;
  }
  return list[list.length - 1]![1];
}

/** Steps taken, and steps that failed on the soak's own side. */
export type LoadStats = { steps: number; stepErrors: number };

/**
 * Runs `concurrency` simulated people and systems until `untilMs`, each doing one step after
 * another with a short pause: bounded in time and in the number of steps.
 */
export async function runLoad(
  ctx: StepContext,
  options: { untilMs: number; concurrency: number; pauseMs: number; maxSteps: number },
): Promise<LoadStats> {
  const stats: LoadStats = { steps: 0, stepErrors: 0 };
  const loop = async () => {
    while (Date.now() < options.untilMs && stats.steps < options.maxSteps) {
      stats.steps += 1;
      const step = Math.random() < hostileShare ? weighted(hostileSteps) : weighted(steps);
      try {
        await step(ctx);
      } catch {
        // The soak's own reads failed (it never goes through the fault proxy): counted, not fatal.
        stats.stepErrors += 1;
      }
      await sleep(options.pauseMs * (0.5 + Math.random()));
    }
  };
  await Promise.all(Array.from({ length: options.concurrency }, loop));
  return stats;
}
