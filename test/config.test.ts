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

  it('Teams is closed by default and runs unauthenticated only when asked to, never in production', () => {
    expect(loadConfig({ NODE_ENV: 'development' }).teams).toBeUndefined();
    expect(loadConfig({}).teams).toBeUndefined();
    expect(loadConfig({ TEAMS_ALLOW_UNAUTHENTICATED: 'true' }).teams?.anonymous).toBe(true);
    expect(loadConfig({ NODE_ENV: 'production' }).teams).toBeUndefined();
    expect(() => loadConfig({ NODE_ENV: 'production', TEAMS_ALLOW_UNAUTHENTICATED: 'true' })).toThrow(
      /TEAMS_ALLOW_UNAUTHENTICATED: refused when NODE_ENV=production/,
    );
  });

  const strong = 'a-random-secret-of-at-least-32-chars';
  it.each([
    'EVENTS_SIGNING_SECRET',
    'LINK_SIGNING_SECRET',
    'SLACK_SIGNING_SECRET',
    'RECORD_API_TOKEN',
    'TEAMS_APP_PASSWORD',
    'SESSION_SECRET',
    'WEBHOOK_SECRET',
  ])('in production a short %s stops start-up, named and never echoed', (name) => {
    // Sign-in's secret comes with the rest of sign-in's settings, or start-up names those instead.
    const signIn =
      name === 'SESSION_SECRET'
        ? {
            OIDC_ISSUER: 'https://login.example.org',
            OIDC_CLIENT_ID: 'oversight',
            OIDC_CLIENT_SECRET: strong,
          }
        : {};
    const env = {
      NODE_ENV: 'production',
      TEAMS_APP_ID: 'app',
      TEAMS_APP_PASSWORD: strong,
      ...signIn,
      [name]: 'y-short',
    };
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(
      new RegExp(`${name}: must be a random secret of at least 32 characters`),
    );
    expect(() => loadConfig(env)).not.toThrow(/y-short/);
    expect(() => loadConfig({ ...env, [name]: strong })).not.toThrow();
  });

  it('names every short secret at once', () => {
    expect(() =>
      loadConfig({ NODE_ENV: 'production', LINK_SIGNING_SECRET: 'x', EVENTS_SIGNING_SECRET: 'y' }),
    ).toThrow(/EVENTS_SIGNING_SECRET: .*\n\s+LINK_SIGNING_SECRET: /);
  });

  it('outside production short signing secrets are accepted for local testing', () => {
    expect(() => loadConfig({ EVENTS_SIGNING_SECRET: 'y', LINK_SIGNING_SECRET: 'x' })).not.toThrow();
  });
});
