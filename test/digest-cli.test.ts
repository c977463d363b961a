import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { and, eq } from 'drizzle-orm';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deliveries, teams } from '../db/schema/index.ts';
import { createQueues, jobIds, type Queues } from '../jobs/queues.ts';
import { connectRedis, type Redis } from '../src/redis.ts';
import { insertAction } from './digest-fixtures.ts';
import { runCli } from './support/cli.ts';
import { createTestDatabase, type TestDatabase } from './support/database.ts';
import { daysFromToday } from './support/dates.ts';
import { testEnvironment } from './support/environment.ts';
import { exampleDirectoryYaml } from './support/factories.ts';
import { uniqueName } from './support/names.ts';
import { dropRedisPrefix } from './support/redis.ts';

describe('oversight digest and directory load on the command line', () => {
  let db: TestDatabase;
  let redis: Redis;
  let queues: Queues;
  let keeper: postgres.Sql;
  const prefix = `{${uniqueName('t')}}`;
  const env = () => ({ DATABASE_URL: db.url, REDIS_URL: testEnvironment().redisUrl, REDIS_PREFIX: prefix });
  const file = (name: string, text: string) => {
    const path = join(tmpdir(), `${process.pid}-${uniqueName('d')}-${name}`);
    writeFileSync(path, text);
    return path;
  };

  beforeAll(async () => {
    db = await createTestDatabase();
    // Hold a connection open: overlapping test runs drop test databases nobody is connected to,
    // and between two CLI runs this one would otherwise look abandoned.
    keeper = postgres(db.url, { max: 1, idle_timeout: 0, onnotice: () => {} });
    await keeper`select 1`;
    redis = connectRedis(testEnvironment().redisUrl, 'producer');
    queues = createQueues(redis, prefix);
  });
  afterAll(async () => {
    await keeper.end();
    await queues.close();
    redis.disconnect();
    await dropRedisPrefix(prefix);
    await db.drop();
  });

  it('directory load sets the digest scheduler of each changed team', async () => {
    const result = await runCli(['directory', 'load', file('dir.yaml', exampleDirectoryYaml)], env());
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('digest schedules: 1 set, 0 removed, 0 unchanged');
    expect(await queues.digest.getJobScheduler(jobIds.digestScheduler('YOT-N'))).toMatchObject({
      pattern: '0 30 8 * * 1-5',
      tz: 'Europe/London',
    });

    const moved = exampleDirectoryYaml.replace('at: "08:30"', 'at: "09:15"');
    const again = await runCli(['directory', 'load', file('dir2.yaml', moved)], env());
    expect(again.stdout).toContain('digest schedules: 1 set');
    expect(await queues.digest.getJobScheduler(jobIds.digestScheduler('YOT-N'))).toMatchObject({
      pattern: '0 15 9 * * 1-5',
    });
  });

  it('directory load still loads when Redis is down, and says the reconciler will catch up', async () => {
    const text = exampleDirectoryYaml
      .replaceAll('YOT-N', 'YOT-W')
      .replace(/code: (mgr-sam|cm-ali|tl-kim)/g, 'code: $1-w')
      .replace('lead: tl-kim', 'lead: tl-kim-w')
      .replace(/(user|aadObjectId): "?([\w-]+)"?/g, '$1: "$2W"');
    const result = await runCli(['directory', 'load', file('down.yaml', text)], {
      ...env(),
      REDIS_URL: 'redis://127.0.0.1:1',
    });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('teams: 1 created');
    expect(result.stderr).toMatch(
      /warning: Redis is not reachable .*digest schedules not updated.*reconcile/,
    );
    expect(await db.storage.db.select().from(teams).where(eq(teams.code, 'YOT-W'))).toHaveLength(1);
  });

  it('digest --team posts the digest now and prints what it sent', async () => {
    await insertAction(db.storage.db, 'YOT-N', { due: daysFromToday(-30) });
    const result = await runCli(['digest', '--team', 'YOT-N'], env());
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^digest for YOT-N sent to tl-kim \(1 message queued\):$/m);
    expect(result.stdout).toMatch(/^ {2}Digest for North YOT \(YOT-N\), \w{3} \d+ \w{3}$/m);
    expect(result.stdout).toMatch(/^ {4}Overdue actions \(1\)$/m);
    expect(result.stdout).toMatch(/^ {4}• A\d+ · D\d{6} · Ali Shah · \d+ days overdue$/m);
    const rows = await db.storage.db
      .select()
      .from(deliveries)
      .where(and(eq(deliveries.kind, 'direct'), eq(deliveries.target, 'tl-kim')));
    expect(rows).toHaveLength(1);
  });

  it('digest still stores the message when Redis is down, and says so', async () => {
    const result = await runCli(['digest', '--team', 'YOT-N'], {
      ...env(),
      REDIS_URL: 'redis://127.0.0.1:1',
    });
    expect(result.code).toBe(0);
    expect(result.stderr).toMatch(/warning: Redis is not reachable .*reconcile/);
    expect(result.stdout).toContain('digest for YOT-N sent to tl-kim');
  });

  it('digest for an unknown team fails with exit 1, and the other teams named are still sent', async () => {
    const result = await runCli(['digest', '--team', 'NOPE', '--team', 'YOT-N'], env());
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('digest for NOPE not sent: unknown team NOPE');
    expect(result.stderr).toContain('1 of 2 digests not sent');
    expect(result.stdout).toContain('digest for YOT-N sent to tl-kim');
  });
});
