import { createSign, generateKeyPairSync, type JsonWebKey } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createSsoVerifier } from '../src/tab/sso.ts';

const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const jwk = { ...(publicKey.export({ format: 'jwk' }) as JsonWebKey), kid: 'k1' };
const appId = '00000000-0000-4000-8000-0000000000a1';
const tid = '11111111-2222-4333-8444-555555555555';
// The test's clock: now, to the whole second (token times are unix seconds).
const now = new Date(Math.floor(Date.now() / 1000) * 1000);
const seconds = now.getTime() / 1000;

function token(claims: Record<string, unknown>, kid = 'k1'): string {
  const head = Buffer.from(JSON.stringify({ alg: 'RS256', typ: 'JWT', kid })).toString('base64url');
  const body = Buffer.from(JSON.stringify(claims)).toString('base64url');
  const sig = createSign('RSA-SHA256').update(`${head}.${body}`).sign(privateKey).toString('base64url');
  return `${head}.${body}.${sig}`;
}

const good = {
  aud: `api://oversight.example.org/${appId}`,
  iss: `https://login.microsoftonline.com/${tid}/v2.0`,
  tid,
  oid: 'aad-sam',
  exp: seconds + 600,
  nbf: seconds - 60,
};

describe('Teams tab single sign-on tokens', () => {
  const verify = createSsoVerifier({
    appId,
    tenantId: tid,
    publicUrl: 'https://oversight.example.org',
    fetchKeys: async () => [jwk],
    now: () => now,
  });

  it("accepts a token Entra signed for our app and tenant, giving the person's object id", async () => {
    expect(await verify(token(good))).toEqual({ aadObjectId: 'aad-sam' });
    expect(await verify(token({ ...good, aud: appId, iss: `https://sts.windows.net/${tid}/` }))).toEqual({
      aadObjectId: 'aad-sam',
    });
  });

  it.each([
    ['another audience', { aud: 'api://elsewhere.example/x' }],
    [
      'another tenant',
      {
        tid: '99999999-2222-4333-8444-555555555555',
        iss: 'https://login.microsoftonline.com/99999999-2222-4333-8444-555555555555/v2.0',
      },
    ],
    ['an issuer that does not match its tenant', { iss: 'https://login.microsoftonline.com/other/v2.0' }],
    ['an expired token', { exp: seconds - 3600 }],
    ['no object id', { oid: undefined }],
  ])('refuses %s', async (_name, change) => {
    expect(await verify(token({ ...good, ...change }))).toBeUndefined();
  });

  it('refuses a token whose signature does not match, or an unknown key', async () => {
    const [head, , sig] = token(good).split('.');
    const tampered = `${head}.${Buffer.from(JSON.stringify({ ...good, oid: 'aad-kim' })).toString('base64url')}.${sig}`;
    expect(await verify(tampered)).toBeUndefined();
    expect(await verify(token(good, 'unknown-kid'))).toBeUndefined();
    expect(await verify('not.a.token')).toBeUndefined();
  });
});
