import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import postgres from 'postgres';
import { openStorage, type Storage } from '../../db/client.ts';
import { deleteKeysWithPrefix } from '../../src/redis.ts';

/** A new, migrated database for one benchmark run, dropped afterwards. */
export async function createBenchDatabase(
  adminUrl: string,
): Promise<{ url: string; storage: Storage; drop(): Promise<void> }> {
  const name = `oversight_bench_${randomBytes(5).toString('hex')}`;
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database "${name}"`);
  await admin.end();
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const storage = await openStorage({ databaseUrl: url.toString(), dataDir: '', max: 10 });
  await storage.migrate();
  return {
    url: url.toString(),
    storage,
    async drop() {
      await storage.close().catch(() => {});
      const a = postgres(adminUrl, { max: 1, onnotice: () => {} });
      await a.unsafe(`drop database if exists "${name}" with (force)`);
      await a.end();
    },
  };
}

/** Deletes every Redis key under the run's prefix. */
export async function dropRedisPrefix(redisUrl: string, prefix: string): Promise<void> {
  const redis = new Redis(redisUrl, { maxRetriesPerRequest: 1 });
  try {
    await deleteKeysWithPrefix(redis, prefix);
  } finally {
    redis.disconnect();
  }
}
