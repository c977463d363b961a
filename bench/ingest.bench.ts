/**
 * `npm run bench -- ingest`: case-event ingestion at 50 concurrent senders, single events and
 * batches of 100, on real Postgres and Redis, beside the bare pipeline measured in the same run.
 * Goals (issue 3): single events ≥ 40% of the baseline's throughput with p99 < 50 ms; batches
 * ≥ 10,000 events/s. Figures and how to read them: BENCHMARKS.md.
 */
import { randomBytes } from 'node:crypto';
import { availableParallelism } from 'node:os';
import { sql } from 'drizzle-orm';
import { teams } from '../db/schema/index.ts';
import { createApp } from '../src/app.ts';
import { loadConfig } from '../src/config.ts';
import { createLogger } from '../src/logger.ts';
import { testEnvironment } from '../test/support/environment.ts';
import { startBaseline } from './ingest/baseline.ts';
import { createBenchDatabase, dropRedisPrefix } from './ingest/database.ts';
import type { Scenario } from './ingest/events.ts';
import { type LoadFigures, runLoad } from './ingest/load.ts';
import type { LoadSpec } from './ingest/load-worker.ts';

const concurrency = 50;
const singleRequests = 5000;
const batchRequests = 300;
const batchSize = 100;
const singleCases = 5000;
const batchCases = 20_000;

export async function run(): Promise<void> {
  const env = testEnvironment();
  const runId = randomBytes(4).toString('hex');
  const secret = randomBytes(16).toString('hex');
  const prefix = `{bench-${runId}}`;
  const db = await createBenchDatabase(env.adminDatabaseUrl);
  const closers: Array<() => Promise<void>> = [];
  try {
    await db.storage.db.insert(teams).values([
      { code: 'BENCH-PDU', name: 'Bench PDU', service: 'adult', timezone: 'Europe/London' },
      { code: 'BENCH-YOT', name: 'Bench YOT', service: 'youth', timezone: 'Europe/London' },
    ]);
    const config = loadConfig({
      NODE_ENV: 'production',
      DATABASE_URL: db.url,
      REDIS_URL: env.redisUrl,
      REDIS_PREFIX: prefix,
      EVENTS_SIGNING_SECRET: secret,
      LOG_LEVEL: 'silent',
    });
    const app = await createApp({
      config,
      roles: { web: true, worker: false },
      storage: db.storage,
      logger: createLogger('silent'),
    });
    closers.push(() => app.close());
    const appUrl = await app.listen(0, '127.0.0.1');
    const baseline = await startBaseline({ databaseUrl: db.url, redisUrl: env.redisUrl, prefix });
    closers.push(() => baseline.close());

    let loads = 0;
    const load = async (target: 'app' | 'baseline', scenario: Scenario, over: Partial<LoadSpec> = {}) => {
      const figures = await runLoad({
        url: target === 'app' ? appUrl : baseline.url,
        path: target === 'app' ? '/api/v1/case-events' : '/baseline',
        scenario,
        // Every load sends events of its own: none is a duplicate of an earlier load's.
        runId: `${runId}${target[0]}${(loads++).toString(36)}`,
        requests: singleRequests,
        concurrency,
        batchSize: 1,
        caseOffset: 0,
        caseCount: singleCases,
        secret,
        ...over,
      });
      const failed = Object.keys(figures.statuses).filter((s) => s !== '200' && s !== '202');
      if (failed.length > 0)
        throw new Error(`${target} ${scenario}: answers ${JSON.stringify(figures.statuses)}`);
      return figures;
    };

    // Every case exists before measuring, as in a running service (1,000-event batches, untimed).
    const total = singleCases + batchCases;
    const seeded = await load('app', 'seed', {
      requests: total / 1000,
      batchSize: 1000,
      caseCount: total,
      concurrency: 4,
    });
    process.stdout.write(
      `seeded ${seeded.events} cases in batches of 1000: ${Math.round(seeded.eventsPerSecond)} events/s\n`,
    );
    const batch = { requests: batchRequests, batchSize, caseOffset: singleCases, caseCount: batchCases };
    // Both paths warmed on both targets (code optimised, connections open, statements prepared)
    // with events of their own, so that what is measured is the steady state; then statistics as
    // autovacuum keeps them in a running service (every table holding rows, requests included),
    // and a second round so that plans are made again from them.
    for (const round of [1, 2]) {
      for (const target of ['baseline', 'app'] as const) {
        await load(target, 'warmup', { requests: 1000 });
        await load(target, 'warmup', { ...batch, requests: 20 });
      }
      if (round === 1) await db.storage.db.execute(sql`analyze`);
    }

    report({
      baselineSingle: await load('baseline', 'single'),
      single: await load('app', 'single'),
      baselineBatch: await load('baseline', 'batch', batch),
      batch: await load('app', 'batch', batch),
      routine: await load('app', 'routine', batch),
    });
  } finally {
    for (const close of closers.reverse()) await close().catch(() => {});
    await dropRedisPrefix(env.redisUrl, prefix).catch(() => {});
    await db.drop();
  }
}

type Figures = Record<'baselineSingle' | 'single' | 'baselineBatch' | 'batch' | 'routine', LoadFigures>;

function report(f: Figures): void {
  const num = (n: number, width: number) => String(n).padStart(width);
  const row = (name: string, x: LoadFigures) =>
    `${name.padEnd(34)}${num(x.requests, 9)}${num(x.events, 8)}${num(Math.round(x.eventsPerSecond), 10)}` +
    `${x.p50.toFixed(1).padStart(9)}${x.p99.toFixed(1).padStart(9)}`;
  const pct = (a: number, b: number) => `${Math.round((a / b) * 100)}%`;
  const outcomes = (x: LoadFigures) =>
    ['required', 'watch', 'none', 'duplicate'].map((k) => `${k} ${x.outcomes[k] ?? 0}`).join(', ');
  const lines = [
    `machine: ${availableParallelism()} cores, shared by the service, Postgres, Redis and the load generator (a worker thread); ${concurrency} concurrent senders`,
    '',
    `${'scenario'.padEnd(34)}${'requests'.padStart(9)}${'events'.padStart(8)}${'events/s'.padStart(10)}${'p50 ms'.padStart(9)}${'p99 ms'.padStart(9)}`,
    row('baseline, single events', f.baselineSingle),
    row('oversight, single events', f.single),
    row('baseline, batches of 100', f.baselineBatch),
    row('oversight, batches of 100', f.batch),
    row('oversight, batches, none required', f.routine),
    '',
    `single events: ${pct(f.single.eventsPerSecond, f.baselineSingle.eventsPerSecond)} of the baseline (goal ≥ 40%), p99 ${f.single.p99.toFixed(1)} ms (goal < 50 ms)`,
    `batches of 100: ${Math.round(f.batch.eventsPerSecond)} events/s (goal ≥ 10,000); with none required ${Math.round(f.routine.eventsPerSecond)} events/s`,
    `outcomes, single events: ${outcomes(f.single)}`,
    `outcomes, batches: ${outcomes(f.batch)}`,
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}
