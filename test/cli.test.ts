import { describe, expect, it } from 'vitest';
import { runCli } from './support/cli.ts';

describe('oversight command line', () => {
  it('a bad configuration value stops start-up with the variable named', async () => {
    const result = await runCli(['start'], { PORT: 'eighty' });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/PORT: must be a port number/);
    expect(result.stderr).not.toMatch(/at .*\.ts:\d+/);
  });

  it('an unreachable Redis at start says how to start one', async () => {
    const result = await runCli(['start'], {
      REDIS_URL: 'redis://127.0.0.1:1',
      DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/postgres',
    });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/Redis is not reachable.*redis-server/s);
  });

  it('an unknown command gets usage help', async () => {
    const result = await runCli(['frobnicate'], {});
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/unknown command/);
  });
});
