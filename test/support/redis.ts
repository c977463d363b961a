import { Redis } from 'ioredis';
import { deleteKeysWithPrefix } from '../../src/redis.ts';
import { testEnvironment } from './environment.ts';

/** Deletes every key under a test's prefix. */
export async function dropRedisPrefix(prefix: string): Promise<void> {
  const redis = new Redis(testEnvironment().redisUrl, { maxRetriesPerRequest: 1 });
  try {
    await deleteKeysWithPrefix(redis, prefix);
  } finally {
    redis.disconnect();
  }
}
