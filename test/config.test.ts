import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../src/config.ts';

describe('configuration', () => {
  it('defaults to the embedded database, local Redis and port 3000', () => {
    const config = loadConfig({});
    expect(config.databaseUrl).toBeUndefined();
    expect(config.dataDir).toBe('./.oversight');
    expect(config.redisUrl).toBe('redis://127.0.0.1:6379');
    expect(config.port).toBe(3000);
    expect(config.slack).toBeUndefined();
  });

  it.each([
    ['PORT', 'eighty', /PORT: must be a port number/],
    ['DATABASE_URL', 'mysql://x', /DATABASE_URL: must be a postgres:\/\/ URL/],
    ['REDIS_URL', 'localhost:6379', /REDIS_URL: must be a redis:\/\/ URL/],
    ['REDIS_PREFIX', 'oversight', /REDIS_PREFIX: must be a Redis Cluster hash tag/],
    ['SLACK_BOT_TOKEN', 'not-a-token', /SLACK_BOT_TOKEN: must be a Slack bot token/],
    ['SLACK_API_URL', 'nope', /SLACK_API_URL: must be a URL/],
  ])('a malformed %s stops start-up with a message naming it', (name, value, message) => {
    expect(() => loadConfig({ [name]: value })).toThrow(ConfigError);
    expect(() => loadConfig({ [name]: value })).toThrow(message);
  });

  it('never echoes a secret back, even a malformed one', () => {
    expect(() => loadConfig({ SLACK_BOT_TOKEN: 'secret-value-123' })).toThrow(
      /SLACK_BOT_TOKEN: .*a value, hidden here/,
    );
    expect(() => loadConfig({ SLACK_BOT_TOKEN: 'secret-value-123' })).not.toThrow(/secret-value-123/);
    expect(() => loadConfig({ DATABASE_URL: 'mysql://u:pw@h/db' })).not.toThrow(/pw@h/);
  });

  it('a Slack token without a signing secret or app token is refused, naming what to set', () => {
    expect(() => loadConfig({ SLACK_BOT_TOKEN: 'xoxb-1' })).toThrow(/SLACK_SIGNING_SECRET: required/);
  });

  it('Teams runs anonymously outside production only', () => {
    expect(loadConfig({ NODE_ENV: 'development' }).teams?.anonymous).toBe(true);
    expect(loadConfig({ NODE_ENV: 'production' }).teams).toBeUndefined();
  });
});
