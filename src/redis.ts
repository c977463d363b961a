import { Redis, type RedisOptions } from 'ioredis';

export type { Redis };

/**
 * Opens a Redis connection. Workers need `maxRetriesPerRequest: null` (BullMQ blocks on them);
 * producers in the request path fail fast instead, because Postgres holds every fact and the
 * reconciler rebuilds any job that could not be added.
 */
export function connectRedis(url: string, role: 'worker' | 'producer'): Redis {
  const options: RedisOptions =
    role === 'worker'
      ? { maxRetriesPerRequest: null, enableReadyCheck: true }
      : { maxRetriesPerRequest: 1, connectTimeout: 2000, enableOfflineQueue: true };
  const redis = new Redis(url, { ...options, lazyConnect: false });
  // Connection errors are reported through readiness and job failures; without a listener ioredis
  // would print every reconnect attempt as an unhandled error event.
  redis.on('error', () => {});
  return redis;
}

/** Pings Redis within `timeoutMs`; throws with a message saying how to start one when it is unreachable. */
export async function pingRedis(redis: Redis, url: string, timeoutMs = 1000): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      redis.ping(),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error('timed out')), timeoutMs);
      }),
    ]);
  } catch (error) {
    throw new Error(
      `Redis is not reachable at ${redactUrl(url)} (${(error as Error).message}). Start one with ` +
        '`redis-server --daemonize yes --port 6379 --save "" --appendonly no`, or set REDIS_URL.',
    );
  } finally {
    clearTimeout(timer);
  }
}

/** The URL without any password, for messages. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return '(unparseable URL)';
  }
}

/** Deletes every key under a prefix (a test's, a bench's, the demo's); SCAN, so it never blocks Redis. */
export async function deleteKeysWithPrefix(redis: Redis, prefix: string): Promise<number> {
  let deleted = 0;
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
    cursor = next;
    if (keys.length > 0) deleted += await redis.del(...keys);
  } while (cursor !== '0');
  return deleted;
}
