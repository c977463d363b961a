/**
 * `npm run bench -- reminders`: Redis memory per scheduled reminder, and how long the reconciler
 * takes to rebuild the schedule of 100,000 open actions after Redis lost everything (every key
 * under the run's prefix deleted: FLUSHALL for that deployment, without touching anyone else's).
 * Goals (issue 6): ≤ 1 KiB per reminder; reconcile < 30 s. Baselines measured in the same run:
 * a bare BullMQ addBulk of minimal delayed jobs, and bare pipelined ZADD + HSET of one small hash.
 */
import { randomBytes } from 'node:crypto';
import { Queue } from 'bullmq';
import { sql } from 'drizzle-orm';
import { actions, cases, oversightRecords, oversightRequests, staff, teams } from '../db/schema/index.ts';
import { createQueues } from '../jobs/queues.ts';
import { connectRedis, type Redis } from '../src/redis.ts';
import { describeReport, reconcile } from '../src/reminders/index.ts';
import { testEnvironment } from '../test/support/environment.ts';
import { createBenchDatabase, dropRedisPrefix } from './ingest/database.ts';

const openActions = 100_000;
const kib = 1024;

export async function run(): Promise<void> {
  const env = testEnvironment();
  const runId = randomBytes(4).toString('hex');
  const prefix = `{bench-rem-${runId}}`;
  const bullBase = `{bench-rem-bull-${runId}}`;
  const rawBase = `{bench-rem-raw-${runId}}`;
  const db = await createBenchDatabase(env.adminDatabaseUrl);
  const redis = connectRedis(env.redisUrl, 'worker');
  const queues = createQueues(redis, prefix);
  try {
    await seed(db.storage.db);
    const deps = { db: db.storage.db, redis, queues, now: () => new Date() };

    // The schedule as lost: nothing under the prefix. Reconcile rebuilds it from Postgres.
    await dropRedisPrefix(env.redisUrl, prefix);
    const cold = await timed(() => reconcile(deps));
    const perReminder = (await prefixMemory(redis, prefix)) / openActions;
    const anatomy = await jobAnatomy(redis, queues.timers.toKey('delayed'), (id) => queues.timers.toKey(id));
    const warm = await timed(() => reconcile(deps));

    const bull = await bareBullmq(redis, bullBase);
    const raw = await bareRedis(redis, rawBase);

    const line = (s: string) => process.stdout.write(`${s}\n`);
    line(`open actions: ${openActions.toLocaleString('en-GB')} (each with a timer job)`);
    line(`reconcile after FLUSHALL: ${describeReport(cold.value)}`);
    line(`reconcile with nothing missing: ${describeReport(warm.value)}`);
    line('');
    line('| measure | reminders | bare BullMQ addBulk | bare ZADD+HSET | vs BullMQ | vs raw | goal |');
    line('|---|---|---|---|---|---|---|');
    line(
      `| Redis bytes per scheduled reminder | ${perReminder.toFixed(0)} | ${bull.bytes.toFixed(0)} | ${raw.bytes.toFixed(0)} | ${ratio(perReminder, bull.bytes)} | ${ratio(perReminder, raw.bytes)} | ≤ ${kib} (${perReminder <= kib ? 'met' : 'MISSED'}) |`,
    );
    line(
      `| rebuild ${openActions.toLocaleString('en-GB')} jobs, s | ${secs(cold.ms)} | ${secs(bull.ms)} | ${secs(raw.ms)} | ${ratio(cold.ms, bull.ms)} | ${ratio(cold.ms, raw.ms)} | < 30 (${cold.ms < 30_000 ? 'met' : 'MISSED'}) |`,
    );
    line(`| reconcile, nothing missing, s | ${secs(warm.ms)} | | | | | |`);
    line('');
    const note =
      anatomy.encoding === 'hashtable'
        ? '; its opts and data values are longer than that, so the hash is not a compact listpack'
        : '';
    line(
      `one timer job hash: ${anatomy.bytes} B, encoding ${anatomy.encoding} (hash-max-listpack-value ${anatomy.listpackValue}${note})`,
    );
  } finally {
    await queues.close().catch(() => {});
    for (const p of [prefix, bullBase, rawBase]) await dropRedisPrefix(env.redisUrl, p).catch(() => {});
    redis.disconnect();
    await db.drop();
  }
}

/** One team, case, notice and record, and 100,000 open actions each with a pending timer. */
async function seed(db: Parameters<typeof reconcile>[0]['db']): Promise<void> {
  await db
    .insert(teams)
    .values({ code: 'BENCH', name: 'Bench', service: 'youth', timezone: 'Europe/London' });
  await db.insert(staff).values([
    { code: 'bench-mgr', name: 'Manager', role: 'manager', teamCode: 'BENCH' },
    { code: 'bench-cm', name: 'Case manager', role: 'case_manager', teamCode: 'BENCH' },
  ]);
  await db
    .insert(cases)
    .values({ crn: 'X999999', service: 'youth', teamCode: 'BENCH', caseManagerCode: 'bench-cm' });
  const [request] = await db
    .insert(oversightRequests)
    .values({ crn: 'X999999', teamCode: 'BENCH', status: 'recorded', acknowledgeBy: new Date() })
    .returning({ id: oversightRequests.id });
  const na = { rating: 'not_applicable' as const, note: '' };
  const [record] = await db
    .insert(oversightRecords)
    .values({
      requestId: request!.id,
      crn: 'X999999',
      by: 'bench-mgr',
      rationale: 'bench',
      assurances: {
        victimsProtected: na,
        assessmentAndPlanning: na,
        timelyAndResponsive: na,
        escalation: na,
      },
    })
    .returning({ id: oversightRecords.id });
  // Timers spread over the next days, as a real schedule would be.
  await db.execute(sql`
    insert into ${actions} (request_id, record_id, crn, team_code, description, owner_code, set_by,
                            due_date, overdue_from, next_due_at, next_step)
    select ${request!.id}::uuid, ${record!.id}::uuid, 'X999999', 'BENCH', 'bench', 'bench-cm', 'bench-mgr',
           (now() + interval '1 year')::date, now() + interval '1 year 1 day', now() + interval '1 day' + g * interval '7 seconds', 'remind'
    from generate_series(1, ${openActions}) g`);
}

/** Bytes held by every key under a prefix (MEMORY USAGE, exact: SAMPLES 0). */
async function prefixMemory(redis: Redis, prefix: string): Promise<number> {
  let total = 0;
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
    cursor = next;
    const pipeline = redis.pipeline();
    for (const key of keys) pipeline.memory('USAGE', key, 'SAMPLES', '0');
    for (const [error, bytes] of (await pipeline.exec()) ?? []) if (!error) total += Number(bytes ?? 0);
  } while (cursor !== '0');
  return total;
}

/** Size and encoding of one job's hash, and the server setting that decides the encoding. */
async function jobAnatomy(
  redis: Redis,
  delayedKey: string,
  jobKey: (id: string) => string,
): Promise<{ bytes: number; encoding: string; listpackValue: string }> {
  const [id] = await redis.zrange(delayedKey, '0', '0');
  const key = jobKey(id ?? '');
  const bytes = Number(await redis.memory('USAGE', key, 'SAMPLES', '0'));
  const encoding = String(await redis.object('ENCODING', key));
  const config = (await redis.config('GET', 'hash-max-listpack-value')) as string[];
  return { bytes, encoding, listpackValue: config[1] ?? '?' };
}

/** The BullMQ floor: minimal delayed jobs with custom ids, added 1,000 at a time. */
async function bareBullmq(redis: Redis, prefix: string): Promise<{ ms: number; bytes: number }> {
  const queue = new Queue('bare', { connection: redis, prefix });
  queue.on('error', () => {});
  const { ms } = await timed(async () => {
    for (let i = 0; i < openActions; i += 1000) {
      await queue.addBulk(
        Array.from({ length: Math.min(1000, openActions - i) }, (_, k) => ({
          name: 'x',
          data: {},
          opts: { jobId: `j-${i + k}`, delay: 86_400_000 + (i + k) * 7000 },
        })),
      );
    }
  });
  const bytes = (await prefixMemory(redis, prefix)) / openActions;
  await queue.close();
  return { ms, bytes };
}

/** The raw floor: one ZADD (the due time) and one small HSET (id, version) per job, pipelined. */
async function bareRedis(redis: Redis, prefix: string): Promise<{ ms: number; bytes: number }> {
  const { ms } = await timed(async () => {
    for (let i = 0; i < openActions; i += 1000) {
      const pipeline = redis.pipeline();
      for (let k = i; k < Math.min(i + 1000, openActions); k++) {
        const id = `action-${randomBytes(16).toString('hex')}-v1`;
        pipeline.zadd(`${prefix}:due`, Date.now() + 86_400_000 + k * 7000, id);
        pipeline.hset(`${prefix}:${id}`, 'subject', 'action', 'version', '1');
      }
      await pipeline.exec();
    }
  });
  return { ms, bytes: (await prefixMemory(redis, prefix)) / openActions };
}

async function timed<T>(fn: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const started = performance.now();
  const value = await fn();
  return { value, ms: performance.now() - started };
}

const secs = (ms: number) => (ms / 1000).toFixed(2);
const ratio = (a: number, b: number) => `${(a / b).toFixed(2)}×`;
