import { afterAll, describe, expect, it } from 'vitest';
import { startTestApp } from './support/app.ts';
import { TcpProxy } from './support/tcp-proxy.ts';

describe('health, readiness and metrics', () => {
  const proxy = new TcpProxy('127.0.0.1', 6379);
  afterAll(() => proxy.stop());

  it('/healthz answers while the process is up; /metrics is Prometheus text', async () => {
    const { url } = await startTestApp();
    const health = await fetch(`${url}/healthz`);
    expect(health.status).toBe(200);
    const metrics = await fetch(`${url}/metrics`);
    expect(metrics.headers.get('content-type')).toMatch(/text\/plain/);
    expect(await metrics.text()).toMatch(/oversight_http_request_duration_seconds/);
  });

  it('/readyz is 503 while Redis is unreachable and 200 when it is back', async () => {
    const port = await proxy.start();
    const { url } = await startTestApp({ env: { REDIS_URL: `redis://127.0.0.1:${port}` } });
    expect((await fetch(`${url}/readyz`)).status).toBe(200);

    await proxy.stop();
    const down = await fetch(`${url}/readyz`);
    expect(down.status).toBe(503);
    const body = (await down.json()) as { checks: Record<string, string> };
    expect(body.checks.postgres).toBe('ok');
    expect(body.checks.redis).toMatch(/Redis is not reachable/);

    await proxy.start(port);
    await expect.poll(async () => (await fetch(`${url}/readyz`)).status, { timeout: 10_000 }).toBe(200);
  });

  it('/readyz is 503 when migrations are not applied', async () => {
    const { url, db } = await startTestApp();
    await db.storage.db.execute(
      'delete from drizzle.__drizzle_migrations where id = (select max(id) from drizzle.__drizzle_migrations)',
    );
    const res = await fetch(`${url}/readyz`);
    expect(res.status).toBe(503);
    expect(((await res.json()) as { checks: { postgres: string } }).checks.postgres).toMatch(
      /oversight migrate/,
    );
  });
});
