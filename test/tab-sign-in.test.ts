import { createServer } from 'node:http';
import { and, eq } from 'drizzle-orm';
import Fastify from 'fastify';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog, staff } from '../db/schema/index.ts';
import { loadConfig } from '../src/config.ts';
import { createLogger } from '../src/logger.ts';
import { signRecordLink } from '../src/tab/index.ts';
import { registerTabRoutes } from '../src/tab/routes.ts';
import { safeReturnTo } from '../src/tab/session.ts';
import { startTestApp, type TestApp } from './support/app.ts';
import { seedCaseRecord } from './support/case-record-fixture.ts';
import { launchChromium } from './support/chromium.ts';
import { closeServer, listenLocally } from './support/local-http.ts';
import { type LocalOidcProvider, startLocalOidcProvider } from './support/oidc-provider.ts';

/** A port nobody is using now, so the app's public URL (and the provider's redirect) can name it. */
async function freePort(): Promise<number> {
  const probe = createServer();
  const url = await listenLocally(probe);
  await closeServer(probe);
  return Number(new URL(url).port);
}

describe('signing in to the case record page through a real OpenID Connect provider', () => {
  let t: TestApp;
  let provider: LocalOidcProvider;
  let browser: Browser;

  beforeAll(async () => {
    const port = await freePort();
    const publicUrl = `http://127.0.0.1:${port}`;
    provider = await startLocalOidcProvider({
      redirectUri: `${publicUrl}/auth/callback`,
      accounts: {
        sam: { oid: 'aad-sam', name: 'Sam Reed', email: 'sam@example.org' },
        stranger: { oid: 'aad-nobody', name: 'Stray Person', email: 'stray@example.org' },
      },
    });
    t = await startTestApp({
      port,
      env: {
        PUBLIC_URL: publicUrl,
        LINK_SIGNING_SECRET: 'link-secret-for-sign-in-tests-0123456789',
        OIDC_ISSUER: provider.issuer,
        OIDC_CLIENT_ID: provider.clientId,
        OIDC_CLIENT_SECRET: provider.clientSecret,
        SESSION_SECRET: 'session-secret-for-sign-in-tests-0123456789',
      },
    });
    await seedCaseRecord(t);
    browser = await launchChromium();
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await provider?.close();
  });

  const link = (crn: string, staffCode: string) =>
    signRecordLink(t.config, { crn, staffCode, expiresAt: new Date(Date.now() + 3_600_000) });
  const apiOf = (pageUrl: string) => `${t.url}/api/tab/record${new URL(pageUrl).search}`;

  /** Goes to `url`, signs in at the provider's own login and consent pages as `login`, and waits to come back. */
  async function signInThrough(context: BrowserContext, url: string, login: string): Promise<Page> {
    const page = await context.newPage();
    await page.goto(url);
    await page.waitForURL((u) => u.href.startsWith(provider.issuer));
    await page.fill('input[name="login"]', login);
    await page.fill('input[name="password"]', 'any password');
    await page.click('button[type="submit"]');
    await page.click('button:has-text("Continue")');
    // The callback answers with a redirect (or a refusal), so the first page of ours to load is the last.
    await page.waitForURL((u) => u.href.startsWith(t.url));
    return page;
  }

  const viewsBy = async (staffCode: string, crn: string) =>
    t.db.storage.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, 'record.viewed'), eq(auditLog.actor, staffCode), eq(auditLog.crn, crn)));

  it('a link alone opens nothing: the page sends the person to sign in, the API answers 401', async () => {
    const page = await fetch(link('X500001', 'mgr-sam'), { redirect: 'manual' });
    expect(page.status).toBe(302);
    expect(page.headers.get('location')).toMatch(/^\/auth\/sign-in\?returnTo=%2Ftab%2Frecord%3F/);
    const api = await fetch(apiOf(link('X500001', 'mgr-sam')));
    expect(api.status).toBe(401);
    expect(JSON.stringify(await api.json())).not.toContain('Safety plan');
  });

  it('signs in, opens a link issued to me (the record shown, the view audited) and refuses one issued to someone else', async () => {
    const context = await browser.newContext();
    const page = await signInThrough(context, link('X500001', 'mgr-sam'), 'sam');
    await page.waitForSelector('#app:not([data-state="loading"])', { timeout: 15_000 });
    expect(await page.getAttribute('#app', 'data-state')).toBe('ready');
    const text = (await page.textContent('#app')) ?? '';
    expect(text).toContain('Oversight record X500001');
    expect(text).toContain('viewed by Sam Reed');
    const cookie = (await context.cookies()).find((c) => c.name === 'oversight_session');
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Lax', secure: true });

    const views = await viewsBy('mgr-sam', 'X500001');
    expect(views).toHaveLength(1);
    expect(views[0]).toMatchObject({ surface: 'api', subjectType: 'case', subjectId: 'X500001' });

    // A link issued to another team's manager, opened by Sam: the session decides, and refuses.
    const other = await context.newPage();
    await other.goto(link('X500002', 'mgr-other'));
    await other.waitForSelector('#app:not([data-state="loading"])', { timeout: 15_000 });
    expect(await other.getAttribute('#app', 'data-state')).toBe('refused');
    expect(await other.textContent('#app')).toContain('You cannot see this record');
    expect(await other.textContent('body')).not.toContain('X500002 ');
    expect(await viewsBy('mgr-sam', 'X500002')).toHaveLength(0);
    await context.close();
  });

  it('refuses a tampered session cookie, and honours the genuine one', async () => {
    const context = await browser.newContext();
    await (await signInThrough(context, link('X500001', 'mgr-sam'), 'sam')).close();
    const genuine = (await context.cookies()).find((c) => c.name === 'oversight_session')?.value ?? '';
    await context.close();
    const at = Math.floor(genuine.length / 2);
    const tampered = `${genuine.slice(0, at)}${genuine[at] === 'A' ? 'B' : 'A'}${genuine.slice(at + 1)}`;
    const ask = (value: string) =>
      fetch(apiOf(link('X500001', 'mgr-sam')), { headers: { cookie: `oversight_session=${value}` } });
    expect((await ask(genuine)).status).toBe(200);
    const refused = await ask(tampered);
    expect(refused.status).toBe(401);
    expect(JSON.stringify(await refused.json())).not.toContain('Safety plan');
  });

  it('after sign-in goes back only to a page of this site, never to another (no open redirect)', async () => {
    const context = await browser.newContext();
    const page = await signInThrough(
      context,
      `${t.url}/auth/sign-in?returnTo=${encodeURIComponent('//evil.example/steal')}`,
      'sam',
    );
    expect(new URL(page.url()).origin).toBe(t.url);
    expect(new URL(page.url()).pathname).toBe('/tab/record');
    await context.close();
  });

  it('signs in someone the directory does not know, and shows them nothing', async () => {
    const context = await browser.newContext();
    const page = await signInThrough(context, link('X500001', 'mgr-sam'), 'stranger');
    expect(await page.textContent('#app')).toContain('You are not set up to use Oversight');
    expect((await context.cookies()).find((c) => c.name === 'oversight_session')).toBeUndefined();
    await context.close();
  });

  it('inside Teams, audits the view under the msteams surface', async () => {
    const server = Fastify();
    registerTabRoutes(server, {
      db: t.db.storage.db,
      config: t.config,
      logger: createLogger('silent'),
      assets: async () => new Map(),
      // Stands in for the Entra signature check (tab-sso.test.ts): this token names Kim.
      sso: async (token) => (token === 'token-kim' ? { aadObjectId: 'aad-kim' } : undefined),
      now: () => new Date(),
    });
    await t.db.storage.db
      .update(staff)
      .set({ msteamsAadObjectId: 'aad-kim' })
      .where(eq(staff.code, 'tl-kim'));
    const response = await server.inject({
      url: '/api/tab/record?crn=X500001',
      headers: { authorization: 'Bearer token-kim' },
    });
    expect(response.statusCode).toBe(200);
    const views = await viewsBy('tl-kim', 'X500001');
    expect(views.map((v) => v.surface)).toEqual(['msteams']);
    await server.close();
  });

  it('signs out by clearing the session cookie', async () => {
    const response = await fetch(`${t.url}/auth/sign-out`, { method: 'POST' });
    expect(response.status).toBe(200);
    expect(response.headers.get('set-cookie')).toMatch(/^oversight_session=; Path=\/; Max-Age=0; HttpOnly/);
  });
});

describe('where sign-in sends people back to', () => {
  it.each([
    ['/tab/record?crn=X500001&sig=abc', '/tab/record?crn=X500001&sig=abc'],
    ['//evil.example/x', '/tab/record'],
    ['/\\evil.example', '/tab/record'],
    ['https://evil.example/', '/tab/record'],
    ['javascript:alert(1)', '/tab/record'],
    ['/tab/record\r\nSet-Cookie: x=y', '/tab/record'],
    ['/%2F%2Fevil.example', '/%2F%2Fevil.example'],
    [undefined, '/tab/record'],
  ])('%j goes to %j', (given, expected) => {
    expect(safeReturnTo(given)).toBe(expected);
  });
});

describe('the record page without sign-in configured', () => {
  const secret = 'link-secret-for-sign-in-tests-0123456789';
  const url = signRecordLink(
    { publicUrl: 'http://localhost', linkSigningSecret: secret },
    { crn: 'X500001', staffCode: 'mgr-sam', expiresAt: new Date(Date.now() + 3_600_000) },
  );
  const serve = (production: boolean) => {
    const server = Fastify();
    registerTabRoutes(server, {
      // No database is reached: every request here is refused before it would be.
      db: undefined as never,
      config: { production, linkSigningSecret: secret },
      logger: createLogger('silent'),
      assets: async () => new Map(),
      sso: undefined,
      now: () => new Date(),
    });
    return server;
  };

  it('in production refuses the page and the API, even with a genuine link', async () => {
    const server = serve(true);
    const page = await server.inject({ url: new URL(url).pathname + new URL(url).search });
    expect(page.statusCode).toBe(503);
    expect(page.body).toContain('Sign-in is not configured');
    expect(page.body).not.toContain('<script');
    const api = await server.inject({ url: `/api/tab/record${new URL(url).search}` });
    expect(api.statusCode).toBe(503);
    expect(api.json().title).toBe('Sign-in is not configured');
    await server.close();
  });

  it('in development serves the page for a genuine link (the link alone opens it)', async () => {
    const server = serve(false);
    const page = await server.inject({ url: new URL(url).pathname + new URL(url).search });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('<script');
    await server.close();
  });
});

describe('sign-in settings', () => {
  const all = {
    OIDC_ISSUER: 'https://login.example.org/tenant/v2.0',
    OIDC_CLIENT_ID: 'client',
    OIDC_CLIENT_SECRET: 'client-secret',
    SESSION_SECRET: 'a-session-secret-of-at-least-32-characters',
  };
  it('go together: one without the others is refused, naming what is missing', () => {
    expect(() => loadConfig({ OIDC_ISSUER: all.OIDC_ISSUER })).toThrow(/OIDC_CLIENT_ID: required/);
    expect(() => loadConfig({ ...all, SESSION_SECRET: undefined })).toThrow(/SESSION_SECRET: required/);
    expect(loadConfig(all).oidc).toMatchObject({ issuer: all.OIDC_ISSUER, allowHttp: false });
    expect(loadConfig({}).oidc).toBeUndefined();
  });
  it('refuse a short session secret without echoing it', () => {
    expect(() => loadConfig({ ...all, SESSION_SECRET: 'short-secret' })).toThrow(/at least 32 characters/);
    expect(() => loadConfig({ ...all, SESSION_SECRET: 'short-secret' })).not.toThrow(/short-secret/);
  });
  it('allow a plain-http issuer only on loopback outside production', () => {
    expect(loadConfig({ ...all, OIDC_ISSUER: 'http://127.0.0.1:4000' }).oidc?.allowHttp).toBe(true);
    expect(() => loadConfig({ ...all, OIDC_ISSUER: 'http://idp.example.org' })).toThrow(/https/);
    expect(() =>
      loadConfig({ ...all, NODE_ENV: 'production', OIDC_ISSUER: 'http://127.0.0.1:4000' }),
    ).toThrow(/OIDC_ISSUER/);
  });
});
