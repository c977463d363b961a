import Fastify from 'fastify';
import { beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../src/logger.ts';
import { recordLink, signRecordLink, verifyRecordLink } from '../src/tab/index.ts';
import { registerTabRoutes } from '../src/tab/routes.ts';
import { startTestApp, type TestApp } from './support/app.ts';
import { seedCaseRecord } from './support/case-record-fixture.ts';

describe('signed links to the case record', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ env: { LINK_SIGNING_SECRET: 'link-secret-for-tests' } });
    await seedCaseRecord(t);
  });
  const link = (crn: string, staffCode: string, expiresAt = new Date(Date.now() + 3_600_000)) =>
    new URL(signRecordLink(t.config, { crn, staffCode, expiresAt }));
  const api = (url: URL, headers: Record<string, string> = {}) =>
    fetch(`${t.url}/api/tab/record${url.search}`, { headers });

  it('verifies its own signature and expiry', () => {
    const issued = new Date();
    const later = (hours: number, seconds = 0) =>
      new Date(issued.getTime() + hours * 3_600_000 + seconds * 1000);
    const { url } = recordLink(t.config, { crn: 'x500001', staffCode: 'mgr-sam' }, issued);
    const params = Object.fromEntries(new URL(url).searchParams);
    expect(params.crn).toBe('X500001');
    expect(verifyRecordLink(t.config.linkSigningSecret, params, later(2))).toEqual({
      ok: true,
      crn: 'X500001',
      staffCode: 'mgr-sam',
    });
    expect(verifyRecordLink(t.config.linkSigningSecret, params, later(8, 1))).toEqual({
      ok: false,
      reason: 'expired',
    });
    expect(verifyRecordLink('another-secret', params, later(2))).toEqual({
      ok: false,
      reason: 'invalid',
    });
  });

  it('gives staff of the case team the record, with names for codes', async () => {
    for (const staff of ['mgr-sam', 'cm-ali', 'tl-kim']) {
      const response = await api(link('X500001', staff));
      expect(response.status).toBe(200);
      expect(response.headers.get('cache-control')).toBe('no-store');
      const body = await response.json();
      expect(body.record.crn).toBe('X500001');
      expect(body.record.requests[0].records[0].rationale).toBe(
        'Safety plan must be revised before the next contact',
      );
      expect(body.people['mgr-sam']).toBe('Sam Reed');
      expect(body.viewer.code).toBe(staff);
    }
  });

  it.each([
    ['expired', () => link('X500001', 'mgr-sam', new Date(Date.now() - 1000)), /expired/],
    [
      'forged (another staff code under the same signature)',
      () => {
        const url = link('X500001', 'mgr-other');
        url.searchParams.set('staff', 'mgr-sam');
        return url;
      },
      /not valid/,
    ],
    [
      'stretched (a later expiry)',
      () => {
        const url = link('X500001', 'mgr-sam');
        url.searchParams.set('exp', String(Number(url.searchParams.get('exp')) + 86_400));
        return url;
      },
      /not valid/,
    ],
    [
      'for another case',
      () => {
        const url = link('X500002', 'mgr-sam');
        url.searchParams.set('crn', 'X500001');
        return url;
      },
      /not valid/,
    ],
  ])('refuses a link that is %s', async (_name, make, message) => {
    const response = await api(make());
    expect(response.status).toBe(403);
    const body = await response.json();
    expect(body.title).toMatch(message);
    expect(JSON.stringify(body)).not.toContain('Safety plan');
  });

  it('never shows a case to staff of another team, nor says whether it exists', async () => {
    const other = await api(link('X500001', 'mgr-other'));
    const unknown = await api(link('X999999', 'mgr-other'));
    expect([other.status, unknown.status]).toEqual([403, 403]);
    expect((await other.json()).title).toBe((await unknown.json()).title);
  });

  it('asks for a sign-in without a link, and accepts no Teams token when Teams has no credentials', async () => {
    const plain = await fetch(`${t.url}/api/tab/record?crn=X500001`);
    expect(plain.status).toBe(401);
    const bearer = await fetch(`${t.url}/api/tab/record?crn=X500001`, {
      headers: { authorization: 'Bearer x.y.z' },
    });
    expect(bearer.status).toBe(401);
  });

  it('inside Teams, shows the record to whoever the SSO token names, if the directory allows', async () => {
    const server = Fastify();
    registerTabRoutes(server, {
      db: t.db.storage.db,
      config: t.config,
      logger: createLogger('silent'),
      assets: async () => new Map(),
      // Stands in for Entra's signature check (see tab-sso.test.ts): these tokens name a person.
      sso: async (token) =>
        ({ 'token-sam': { aadObjectId: 'aad-sam' }, 'token-other': { aadObjectId: 'aad-other' } })[token],
      now: () => new Date(),
    });
    const ask = (token: string) =>
      server.inject({ url: '/api/tab/record?crn=X500001', headers: { authorization: `Bearer ${token}` } });
    const sam = await ask('token-sam');
    expect(sam.statusCode).toBe(200);
    expect(sam.json().viewer).toEqual({ code: 'mgr-sam', name: 'Sam Reed' });
    expect((await ask('token-other')).statusCode).toBe(403);
    expect((await ask('token-forged')).statusCode).toBe(401);
    await server.close();
  });

  it('refuses a bad link on the page itself, before any script runs', async () => {
    const url = link('X500001', 'mgr-sam', new Date(Date.now() - 1000));
    const page = await fetch(`${t.url}/tab/record${url.search}`);
    expect(page.status).toBe(403);
    const html = await page.text();
    expect(html).toContain('This link has expired');
    expect(html).not.toContain('<script');
    expect(page.headers.get('content-security-policy')).toContain(
      "frame-ancestors 'self' https://teams.microsoft.com",
    );
  });
});
