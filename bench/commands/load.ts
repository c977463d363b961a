import { Worker } from 'node:worker_threads';
import type { LoadResult, LoadSpec } from './load-worker.ts';

/** Nearest-rank percentile (p in 0..100) of unsorted values; NaN when there are none. */
export function percentile(values: number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

/** Runs one load in a worker thread (TypeScript loaded through tsx, as the CLI does). */
export async function runLoad(spec: LoadSpec): Promise<LoadResult> {
  const tsx = import.meta.resolve('tsx/esm/api');
  const entry = new URL('./load-worker.ts', import.meta.url).href;
  const worker = new Worker(
    `import(${JSON.stringify(tsx)}).then((m) => { m.register(); return import(${JSON.stringify(entry)}); })`,
    { eval: true, workerData: spec },
  );
  try {
    return await new Promise<LoadResult>((resolve, reject) => {
      worker.once('message', resolve);
      worker.once('error', reject);
      worker.once('exit', (code) => reject(new Error(`load worker exited with ${code}`)));
    });
  } finally {
    await worker.terminate();
  }
}

/** Several loads of one target as one: their samples side by side. */
export function merge(results: LoadResult[]): LoadResult & { requests: number } {
  const sum = (pick: (r: LoadResult) => Record<string, number>) => {
    const out: Record<string, number> = {};
    for (const r of results) for (const [k, v] of Object.entries(pick(r))) out[k] = (out[k] ?? 0) + v;
    return out;
  };
  return {
    requests: results.reduce((n, r) => n + r.ack.length, 0),
    wallMs: results.reduce((n, r) => n + r.wallMs, 0),
    kinds: results.flatMap((r) => r.kinds),
    ack: results.flatMap((r) => r.ack),
    reply: results.flatMap((r) => r.reply),
    statuses: sum((r) => r.statuses),
    unexpected: sum((r) => r.unexpected),
    samples: results.flatMap((r) => r.samples).slice(0, 5),
    strays: results.reduce((n, r) => n + r.strays, 0),
  };
}
