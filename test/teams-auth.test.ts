import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { platformsFor } from '../src/app.ts';
import { ConfigError, loadConfig } from '../src/config.ts';
import { startTestApp } from './support/app.ts';
import { snapshot } from './support/bad-input-snapshot.ts';
import { FakeConnector } from './support/fake-connector.ts';
import { message } from './support/teams-activity.ts';

const appId = '00000000-0000-4000-8000-0000000000a1';
/** An unsigned JWT: decodable, so the SDK gets as far as checking its audience. */
const unsignedToken = (claims: Record<string, unknown>) =>
  `${[{ alg: 'RS256', typ: 'JWT' }, claims]
    .map((p) => Buffer.from(JSON.stringify(p)).toString('base64url'))
    .join('.')}.c2ln`;

describe('Teams authentication', () => {
  let connector: FakeConnector;
  beforeAll(async () => {
    connector = await new FakeConnector().start();
  });
  afterAll(() => connector.stop());

  describe('with app credentials set', () => {
    let url: string;
    beforeAll(async () => {
      const t = await startTestApp({ env: { TEAMS_APP_ID: appId, TEAMS_APP_PASSWORD: 'secret-for-tests' } });
      url = t.url;
    });
    const send = (headers: Record<string, string>) =>
      fetch(`${url}/api/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: JSON.stringify(message(connector.serviceUrl, { aadObjectId: 'aad-x' }, 'help')),
      });

    it.each([
      ['no token', {}],
      ['a malformed header', { authorization: 'Basic abc' }],
      ['a token that is not a JWT', { authorization: 'Bearer not-a-jwt' }],
      [
        'a token for another app',
        {
          authorization: `Bearer ${unsignedToken({ aud: 'someone-else', iss: 'https://api.botframework.com' })}`,
        },
      ],
    ])('refuses an activity with %s, and does nothing', async (_name, headers) => {
      const response = await send(headers);
      expect(response.status).toBe(401);
      expect(connector.calls).toHaveLength(0);
    });
  });

  it('refuses an unauthenticated activity with NODE_ENV unset and no Teams credentials, and changes nothing', async () => {
    const t = await startTestApp({ env: { NODE_ENV: undefined } });
    expect(t.config.env).toBe('development');
    const before = await snapshot(t.db.storage.db);
    const response = await fetch(`${t.url}/api/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(message(connector.serviceUrl, { aadObjectId: 'aad-x' }, 'help')),
    });
    expect(response.status).toBe(401);
    expect(t.app.adapters.msteams).toBeUndefined();
    expect(connector.calls).toHaveLength(0);
    expect(await snapshot(t.db.storage.db)).toEqual(before);
  });

  describe('with TEAMS_ALLOW_UNAUTHENTICATED=true (local testing only)', () => {
    let url: string;
    beforeAll(async () => {
      const t = await startTestApp({ env: { TEAMS_ALLOW_UNAUTHENTICATED: 'true' } });
      url = t.url;
    });
    const send = (serviceUrl: string) =>
      fetch(`${url}/api/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(message(serviceUrl, { aadObjectId: 'aad-x' }, 'help')),
      });

    it('answers an activity without a token whose serviceUrl is on loopback', async () => {
      const response = await send(connector.serviceUrl);
      expect(response.status).toBe(200);
      await connector.waitFor((c) => c.kind === 'reply');
      expect(connector.calls[0]?.authorization).toBeUndefined();
    });

    it.each([
      'https://smba.trafficmanager.net/uk/',
      'http://10.0.0.5:3978/',
      'http://127.0.0.1.example.org/',
    ])('refuses an activity naming a serviceUrl off this machine (%s)', async (serviceUrl) => {
      const calls = connector.calls.length;
      const response = await send(serviceUrl);
      expect(response.status).toBe(403);
      expect((await response.json()).fields[0].path).toBe('serviceUrl');
      expect(connector.calls).toHaveLength(calls);
    });
  });

  it('refuses every activity in production without credentials', async () => {
    const t = await startTestApp({
      env: { NODE_ENV: 'production', LINK_SIGNING_SECRET: 'prod-link-secret-of-at-least-32-characters' },
    });
    const response = await fetch(`${t.url}/api/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(message(connector.serviceUrl, { aadObjectId: 'aad-x' }, 'help')),
    });
    expect(response.status).toBe(401);
    expect(t.app.adapters.msteams).toBeUndefined();
  });

  it('refuses TEAMS_ALLOW_UNAUTHENTICATED in production, naming it', () => {
    expect(() => loadConfig({ NODE_ENV: 'production', TEAMS_ALLOW_UNAUTHENTICATED: 'true' })).toThrow(
      /TEAMS_ALLOW_UNAUTHENTICATED: refused when NODE_ENV=production/,
    );
  });

  it('posts to Teams with credentials, or without them only when asked to (and never in production)', () => {
    const platforms = (env: Record<string, string>) => platformsFor(loadConfig(env));
    expect(platforms({ NODE_ENV: 'test' })).not.toContain('msteams');
    expect(
      platforms({ NODE_ENV: 'test', TEAMS_ENABLED: 'true', TEAMS_ALLOW_UNAUTHENTICATED: 'true' }),
    ).toContain('msteams');
    expect(() => loadConfig({ NODE_ENV: 'test', TEAMS_ENABLED: 'true' })).toThrow(
      /TEAMS_ALLOW_UNAUTHENTICATED=true/,
    );
    expect(platforms({ NODE_ENV: 'test', TEAMS_APP_ID: appId })).toContain('msteams');
    expect(platforms({ NODE_ENV: 'test', TEAMS_APP_ID: appId, TEAMS_ENABLED: 'false' })).not.toContain(
      'msteams',
    );
    expect(() => loadConfig({ NODE_ENV: 'production', TEAMS_ENABLED: 'true' })).toThrow(ConfigError);
    expect(() => loadConfig({ NODE_ENV: 'production', TEAMS_ENABLED: 'true' })).toThrow(
      /TEAMS_APP_ID: required/,
    );
  });
});
