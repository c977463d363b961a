/** Where the test suite, the benches and the soak find their Postgres server and Redis (each makes its own databases and prefixes). */
export function testEnvironment(source: Record<string, string | undefined> = process.env) {
  return {
    adminDatabaseUrl: source.OVERSIGHT_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres',
    redisUrl: source.OVERSIGHT_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379',
  };
}
