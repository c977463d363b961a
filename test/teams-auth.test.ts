import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { platformsFor } from '../src/app.ts';
import { ConfigError, loadConfig } from '../src/config.ts';
import { startTestApp } from './support/app.ts';
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

  it('answers unauthenticated activities outside production when no credentials are set', async () => {
    const t = await startTestApp({});
    const response = await fetch(`${t.url}/api/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(message(connector.serviceUrl, { aadObjectId: 'aad-x' }, 'help')),
    });
    expect(response.status).toBe(200);
    await connector.waitFor((c) => c.kind === 'reply');
    expect(connector.calls[0]?.authorization).toBeUndefined();
  });

  it('has no Teams endpoint in production without credentials', async () => {
    const t = await startTestApp({
      env: { NODE_ENV: 'production', LINK_SIGNING_SECRET: 'prod-link-secret' },
    });
    const response = await fetch(`${t.url}/api/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(message(connector.serviceUrl, { aadObjectId: 'aad-x' }, 'help')),
    });
    expect(response.status).toBe(404);
    expect(t.app.adapters.msteams).toBeUndefined();
  });

  it('posts to Teams with credentials, or without them only when asked to (and never in production)', () => {
    const platforms = (env: Record<string, string>) => platformsFor(loadConfig(env));
    expect(platforms({ NODE_ENV: 'test' })).not.toContain('msteams');
    expect(platforms({ NODE_ENV: 'test', TEAMS_ENABLED: 'true' })).toContain('msteams');
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
