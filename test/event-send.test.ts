import { writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { event, secret } from './ingest-support.ts';
import { startTestApp, type TestApp } from './support/app.ts';
import { runCli } from './support/cli.ts';
import { makeTeam } from './support/factories.ts';

describe('oversight event send FILE', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ env: { EVENTS_SIGNING_SECRET: secret } });
    await makeTeam(t.db.storage.db);
  });
  const file = (name: string, content: unknown) => {
    const path = join(tmpdir(), `${process.pid}-${name}`);
    writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content));
    return path;
  };
  const send = (path: string, env: Record<string, string> = { EVENTS_SIGNING_SECRET: secret }) =>
    runCli(['event', 'send', path, '--url', t.url], env);

  it('signs and posts an array of events, printing one outcome per line; a resend prints duplicates', async () => {
    const events = [
      event({
        id: 'cli-1',
        type: 'police.arrest',
        case: { crn: 'X500001' },
        data: { offenceCategory: 'violence' },
      }),
      event({
        id: 'cli-2',
        type: 'police.arrest',
        case: { crn: 'X500002' },
        data: { offenceCategory: 'theft' },
      }),
    ];
    const path = file('events.json', events);
    const first = await send(path);
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    const lines = first.stdout.trim().split('\n');
    expect(lines[0]).toMatch(
      /^0 {2}test-feed\/cli-1 {2}accepted {2}required {2}police\.required_offence {2}Youth case: police arrest for a violence offence {2}request [0-9a-f-]{36}$/,
    );
    expect(lines[1]).toMatch(/^1 {2}test-feed\/cli-2 {2}accepted {2}watch {2}police\.other /);
    expect(lines[2]).toBe('2 events: 2 accepted (1 required, 1 watch, 0 none), 0 duplicate');

    const again = await send(file('batch.json', { events }));
    expect(again.stdout).toMatch(/0 {2}test-feed\/cli-1 {2}duplicate {2}required/);
    expect(again.stdout).toContain('2 events: 0 accepted (0 required, 0 watch, 0 none), 2 duplicate');
  });

  it('sends a single event as one', async () => {
    const result = await send(file('one.json', event({ id: 'cli-3', case: { crn: 'X500003' } })));
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^0 {2}test-feed\/cli-3 {2}accepted {2}none {2}youth\.below_threshold/);
  });

  it('prints the fields the service refused, and exits 1', async () => {
    const result = await send(file('bad.json', [event(), event({ type: 'police.sighting' })]));
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/refused \(400\)/);
    expect(result.stderr).toMatch(/events\[1\]\.type: unknown event type/);
  });

  it('explains a missing or a wrong secret', async () => {
    const path = file('ok.json', event());
    const noSecret = await send(path, {});
    expect(noSecret.code).toBe(1);
    expect(noSecret.stderr).toMatch(/EVENTS_SIGNING_SECRET is not set/);

    const wrong = await send(path, { EVENTS_SIGNING_SECRET: 'wrong' });
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toMatch(/refused \(401\).*does not match/);
  });

  it('explains a file it cannot use', async () => {
    const notJson = await send(file('broken.json', '{ nope'), { EVENTS_SIGNING_SECRET: secret });
    expect(notJson.stderr).toMatch(/broken\.json is not valid JSON/);

    const missing = await send('/nonexistent/events.json');
    expect(missing.stderr).toMatch(/cannot read \/nonexistent\/events\.json: ENOENT/);
  });

  it('explains an unreachable service without a stack trace', async () => {
    const path = file('ok2.json', event());
    const closed = await freePort();
    const down = await runCli(['event', 'send', path, '--url', `http://127.0.0.1:${closed}`], {
      EVENTS_SIGNING_SECRET: secret,
    });
    expect(down.code).toBe(1);
    expect(down.stderr).toMatch(
      /cannot reach http:\/\/127\.0\.0\.1:\d+\/api\/v1\/case-events \(ECONNREFUSED\); is the service running\?/,
    );
    expect(down.stderr).not.toMatch(/at .*\.ts:\d+/);
  });
});

/** A port nothing listens on. */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}
