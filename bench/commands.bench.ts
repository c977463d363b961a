/**
 * `npm run bench -- commands`: the `/oversight` slash command over HTTP, as Slack sends it (a
 * signed form body to POST /slack/events, answered with an ack, then a reply to response_url), at
 * 50 concurrent people on real Postgres and Redis. Measured: send → HTTP ack, and send → reply at
 * the response_url, p50/p99, per command and overall, beside a bare Fastify route (verify the
 * same signature, parse the form, one indexed SELECT, 200) under the same load generator in the
 * same run. Goal (issue 5): ack p99 < 200 ms (Slack allows 3 s). Figures: BENCHMARKS.md.
 */
import { randomBytes } from 'node:crypto';
import { availableParallelism, loadavg } from 'node:os';
import { createApp } from '../src/app.ts';
import { loadConfig } from '../src/config.ts';
import { createLogger } from '../src/logger.ts';
import { testEnvironment } from '../test/support/environment.ts';
import { FakeSlack } from '../test/support/fake-slack.ts';
import { startBaseline } from './commands/baseline.ts';
import { merge, percentile, runLoad } from './commands/load.ts';
import type { LoadResult, LoadSpec } from './commands/load-worker.ts';
import { commandKinds } from './commands/mix.ts';
import { seed } from './commands/seed.ts';
import { createBenchDatabase, dropRedisPrefix } from './ingest/database.ts';

const concurrency = 50;
const warmup = 500;
/** Service and baseline alternate, two rounds each, so a change in the machine's load hits both. */
const rounds = 2;
const perRound = 1500;
/** Then 20 waves of 50 commands sent at the same instant. */
const burstRequests = 1000;
const replyTimeoutMs = 10_000;
const goalAckP99Ms = 200;

export async function run(): Promise<void> {
  const env = testEnvironment();
  const runId = randomBytes(4).toString('hex');
  const prefix = `{bench-${runId}}`;
  const secret = randomBytes(16).toString('hex');
  const loadAtStart = loadavg()[0]!;
  const db = await createBenchDatabase(env.adminDatabaseUrl);
  const closers: Array<() => Promise<void>> = [() => db.drop(), () => dropRedisPrefix(env.redisUrl, prefix)];
  try {
    // Only for SLACK_API_URL: a slash command makes no Web API call, and none may leave the host.
    const fake = await new FakeSlack().start();
    closers.unshift(() => fake.stop());
    const seedStarted = performance.now();
    const seeded = await seed(db.storage.db);
    out(`seeded ${seeded} in ${((performance.now() - seedStarted) / 1000).toFixed(1)} s`);

    const config = loadConfig({
      NODE_ENV: 'production',
      DATABASE_URL: db.url,
      REDIS_URL: env.redisUrl,
      REDIS_PREFIX: prefix,
      SLACK_BOT_TOKEN: 'xoxb-bench',
      SLACK_SIGNING_SECRET: secret,
      SLACK_API_URL: fake.apiUrl,
      LOG_LEVEL: 'silent',
    });
    // The web role (`oversight web`) with its pool of 10: notices and DMs the commands queue stay
    // in Redis, as no worker role runs here.
    const app = await createApp({
      config,
      roles: { web: true, worker: false },
      storage: db.storage,
      logger: createLogger('silent'),
    });
    closers.unshift(() => app.close());
    const serviceUrl = await app.listen(0, '127.0.0.1');
    const baseline = await startBaseline({ databaseUrl: db.url, secret });
    closers.unshift(() => baseline.close());

    const load = async (
      target: LoadSpec['target'],
      mode: LoadSpec['mode'],
      from: number,
      requests: number,
    ) => {
      const url = target === 'service' ? serviceUrl : baseline.url;
      const spec = { url, target, mode, from, requests, concurrency, secret, replyTimeoutMs };
      const result = await runLoad(spec);
      const refused = Object.keys(result.statuses).filter((s) => s !== '200');
      if (refused.length > 0) throw new Error(`${target}: answers ${JSON.stringify(result.statuses)}`);
      return result;
    };
    await load('baseline', 'closed', 0, warmup);
    await load('service', 'closed', 0, warmup);
    const closed = { service: [] as LoadResult[], baseline: [] as LoadResult[] };
    let from = warmup;
    for (let r = 0; r < rounds; r++, from += perRound) {
      closed.baseline.push(await load('baseline', 'closed', from, perRound));
      closed.service.push(await load('service', 'closed', from, perRound));
    }
    const burst = {
      baseline: merge([await load('baseline', 'burst', from, burstRequests)]),
      service: merge([await load('service', 'burst', from, burstRequests)]),
    };
    report(
      { service: merge(closed.service), baseline: merge(closed.baseline) },
      burst,
      fake.calls.length,
      loadAtStart,
    );
  } finally {
    for (const close of closers) await close().catch(() => {});
  }
}

function out(line: string): void {
  process.stdout.write(`${line}\n`);
}

type Merged = ReturnType<typeof merge>;
type Scenario = { service: Merged; baseline: Merged };

function figures({ service: s, baseline: b }: Scenario) {
  const replies = s.reply.filter((r): r is number => r !== null);
  return {
    requests: s.requests,
    baseRequests: b.requests,
    rate: s.requests / (s.wallMs / 1000),
    baseRate: b.requests / (b.wallMs / 1000),
    ackP50: percentile(s.ack, 50),
    ackP99: percentile(s.ack, 99),
    replyP50: percentile(replies, 50),
    replyP99: percentile(replies, 99),
    baseP50: percentile(b.ack, 50),
    baseP99: percentile(b.ack, 99),
    lost: s.requests - replies.length,
    unexpected: Object.values(s.unexpected).reduce((n, v) => n + v, 0),
    strays: s.strays,
  };
}

const ms = (n: number) => (Number.isNaN(n) ? '-' : n < 10 ? n.toFixed(1) : String(Math.round(n)));
const times = (a: number, c: number) => `${(a / c).toFixed(1)}×`;

function report(closed: Scenario, burst: Scenario, webApiCalls: number, loadAtStart: number): void {
  const c = figures(closed);
  const b = figures(burst);
  const row = (label: string, ...cells: string[]) =>
    `${label.padEnd(28)}${cells.map((cell) => cell.padStart(10)).join('')}`;
  const pair = (label: string, pick: (f: typeof c) => [string, string, string]) =>
    row(label, ...pick(c), ...pick(b));
  out(
    `machine: ${availableParallelism()} cores shared by the service, Postgres, Redis and the load generator (a worker thread); load average ${loadAtStart.toFixed(1)} at start, ${loadavg()[0]!.toFixed(1)} at end`,
  );
  out(
    `closed loop: ${concurrency} senders, each sending its next command once its last is answered (service: ack and reply; baseline: its 200)`,
  );
  out(`bursts: waves of ${concurrency} commands sent at the same instant, the next once all are answered`);
  out('');
  out(`${''.padEnd(28)}${'closed loop'.padStart(20)}${'bursts of 50'.padStart(30)}`);
  out(row('measure', 'service', 'baseline', 'ratio', 'service', 'baseline', 'ratio'));
  out(pair('requests', (f) => [String(f.requests), String(f.baseRequests), '']));
  out(pair('concurrency', () => [String(concurrency), String(concurrency), '']));
  out(pair('requests/s', (f) => [ms(f.rate), ms(f.baseRate), times(f.rate, f.baseRate)]));
  out(pair('HTTP ack p50, ms', (f) => [ms(f.ackP50), ms(f.baseP50), times(f.ackP50, f.baseP50)]));
  out(pair('HTTP ack p99, ms', (f) => [ms(f.ackP99), ms(f.baseP99), times(f.ackP99, f.baseP99)]));
  out(
    pair('response_url reply p50, ms', (f) => [ms(f.replyP50), ms(f.baseP50), times(f.replyP50, f.baseP50)]),
  );
  out(
    pair('response_url reply p99, ms', (f) => [ms(f.replyP99), ms(f.baseP99), times(f.replyP99, f.baseP99)]),
  );
  out("(reply ratios are against the baseline's HTTP answer: the whole of its work)");
  out('');
  const worst = Math.max(c.ackP99, b.ackP99);
  out(
    `goal HTTP ack p99 < ${goalAckP99Ms} ms: ${worst < goalAckP99Ms ? 'met' : 'NOT met'} (closed loop ${ms(c.ackP99)} ms, bursts ${ms(b.ackP99)} ms; Slack allows 3,000 ms)`,
  );
  for (const [name, f, x] of [
    ['closed loop', c, closed.service],
    ['bursts', b, burst.service],
  ] as const) {
    out(
      `${name}: ${f.requests - f.lost} of ${f.requests} replies within ${replyTimeoutMs / 1000} s${f.lost ? ` (${f.lost} MISSING)` : ''}, ${f.unexpected} not the success answer, ${f.strays} stray or not ephemeral`,
    );
    for (const sample of x.samples) out(`  unexpected reply: ${sample}`);
  }
  out(`Slack Web API calls: ${webApiCalls} (a command answers through response_url only)`);
  out('');
  perCommand('closed loop', closed.service);
  perCommand('bursts', burst.service);
}

function perCommand(name: string, s: Merged): void {
  out(
    `${name.padEnd(12)}${['requests', 'ack p50', 'ack p99', 'reply p50', 'reply p99', 'unexpected'].map((h) => h.padStart(11)).join('')}`,
  );
  for (const kind of commandKinds) {
    const idx = s.kinds.flatMap((k, i) => (k === kind ? [i] : []));
    const acks = idx.map((i) => s.ack[i]!);
    const replies = idx.map((i) => s.reply[i]).filter((r): r is number => typeof r === 'number');
    const cells = [
      String(idx.length),
      ms(percentile(acks, 50)),
      ms(percentile(acks, 99)),
      ms(percentile(replies, 50)),
      ms(percentile(replies, 99)),
      String(s.unexpected[kind] ?? 0),
    ];
    out(`  ${kind.padEnd(10)}${cells.map((cell) => cell.padStart(11)).join('')}`);
  }
}
