import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signRecordLink } from '../src/tab/index.ts';
import { startTestApp, type TestApp } from './support/app.ts';
import { seedCaseRecord } from './support/case-record-fixture.ts';
import { launchChromium } from './support/chromium.ts';

const artifacts = resolve(import.meta.dirname, '../test-artifacts');
const textOf = async (page: Page, selector: string) => (await page.textContent(selector)) ?? '';

describe('the case record page in a real browser (headless Chromium)', () => {
  let t: TestApp;
  let browser: Browser;
  beforeAll(async () => {
    t = await startTestApp({ env: { LINK_SIGNING_SECRET: 'link-secret-for-browser-tests' } });
    await seedCaseRecord(t);
    browser = await launchChromium();
    mkdirSync(artifacts, { recursive: true });
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
  });

  const link = (crn: string, staffCode: string, expiresAt = new Date(Date.now() + 3_600_000)) =>
    signRecordLink({ ...t.config, publicUrl: t.url }, { crn, staffCode, expiresAt });

  async function open(url: string): Promise<{ page: Page; requested: string[] }> {
    const page = await browser.newPage({ viewport: { width: 1100, height: 900 } });
    const requested: string[] = [];
    page.on('request', (r) => requested.push(r.url()));
    await page.goto(url);
    await page.waitForSelector('#app:not([data-state="loading"])', { timeout: 15_000 });
    return { page, requested };
  }

  it('opens the record through a signed link and shows it, as text', async () => {
    const { page, requested } = await open(link('X500001', 'mgr-sam'));
    expect(await page.getAttribute('#app', 'data-state')).toBe('ready');
    const text = await textOf(page, '#app');
    expect(text).toContain('Oversight record X500001');
    expect(text).toContain('viewed by Sam Reed');
    expect(text).toContain('Safety plan must be revised before the next contact');
    expect(text).toContain('Revise the safety plan');
    expect(text).toContain('Victims protected');
    expect(text).toContain('Disclosure at home visit');
    expect(text).toContain('record.created');
    // A note with markup is shown as typed, never as markup or a link.
    expect(text).toContain('Plan <b>out of date</b> [click](https://evil.example)');
    expect(await page.locator('#app b').count()).toBe(0);
    expect(await page.locator('#app a').count()).toBe(0);
    // A plain browser never loads teams-js (nor Office's CDN).
    expect(requested.filter((u) => !u.startsWith(t.url))).toEqual([]);
    expect(requested.filter((u) => u.endsWith('/tab/assets/teams.js'))).toEqual([]);
    await page.screenshot({ path: resolve(artifacts, 'tab-record.png'), fullPage: true });
    await page.close();
  });

  it('is refused with an expired link', async () => {
    const { page } = await open(link('X500001', 'mgr-sam', new Date(Date.now() - 60_000)));
    expect(await page.getAttribute('#app', 'data-state')).toBe('refused');
    expect(await textOf(page, '#app')).toContain('This link has expired');
    expect(await textOf(page, 'body')).not.toContain('Safety plan');
    await page.screenshot({ path: resolve(artifacts, 'tab-record-expired.png') });
    await page.close();
  });

  it('is refused with a forged link', async () => {
    const forged = new URL(link('X500001', 'mgr-other'));
    forged.searchParams.set('staff', 'mgr-sam');
    const { page } = await open(forged.toString());
    expect(await page.getAttribute('#app', 'data-state')).toBe('refused');
    expect(await textOf(page, '#app')).toContain('This link is not valid');
    expect(await textOf(page, 'body')).not.toContain('Safety plan');
    await page.close();
  });

  it('is refused to staff of another team even with a genuine link', async () => {
    const { page } = await open(link('X500001', 'mgr-other'));
    expect(await page.getAttribute('#app', 'data-state')).toBe('refused');
    expect(await textOf(page, '#app')).toContain('You cannot see this record');
    await page.close();
  });

  it('inside a frame that is not Teams, gives up on teams-js quickly and asks for a link', {
    timeout: 60_000,
  }, async () => {
    const page = await browser.newPage();
    const requested: string[] = [];
    page.on('request', (r) => requested.push(r.url()));
    // A same-origin parent page (the page may only be framed by itself and Teams).
    await page.route(`${t.url}/frame-host`, (route) =>
      route.fulfill({
        contentType: 'text/html',
        body: `<iframe src="${t.url}/tab/record?crn=X500001"></iframe>`,
      }),
    );
    const started = Date.now();
    await page.goto(`${t.url}/frame-host`);
    const frame = page.frameLocator('iframe');
    // teams-js waits 60 s inside a frame that is not Teams; giving up well before that is the
    // point, with headroom for a slow, shared machine.
    await frame.locator('#app[data-state="refused"]').waitFor({ timeout: 40_000 });
    expect(Date.now() - started).toBeLessThan(40_000);
    expect(await frame.locator('#app').textContent()).toContain('Open this page from a link');
    expect(requested.some((u) => u.endsWith('/tab/assets/teams.js'))).toBe(true);
    await page.close();
  });
});
