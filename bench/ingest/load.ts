import { Worker } from 'node:worker_threads';
import type { LoadResult, LoadSpec } from './load-worker.ts';

export type LoadFigures = {
  requests: number;
  events: number;
  seconds: number;
  eventsPerSecond: number;
  p50: number;
  p99: number;
  statuses: Record<string, number>;
  outcomes: Record<string, number>;
};

/** Runs one load in a worker thread (TypeScript loaded through tsx, as the CLI does) and sums it up. */
export async function runLoad(spec: LoadSpec): Promise<LoadFigures> {
  const tsx = import.meta.resolve('tsx/esm/api');
  const entry = new URL('./load-worker.ts', import.meta.url).href;
  const worker = new Worker(
    `import(${JSON.stringify(tsx)}).then((m) => { m.register(); return import(${JSON.stringify(entry)}); })`,
    { eval: true, workerData: spec },
  );
  const result = await new Promise<LoadResult>((resolve, reject) => {
    worker.once('message', resolve);
    worker.once('error', reject);
  });
  await worker.terminate();
  const sorted = result.latencies.slice().sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
  const seconds = result.wallMs / 1000;
  const events = spec.requests * spec.batchSize;
  return {
    requests: spec.requests,
    events,
    seconds,
    eventsPerSecond: events / seconds,
    p50: at(0.5),
    p99: at(0.99),
    statuses: result.statuses,
    outcomes: result.outcomes,
  };
}
