import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { and, eq } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import { openStorage } from '../db/client.ts';
import { deliveries, staff } from '../db/schema/index.ts';
import { insertAction } from './digest-fixtures.ts';
import { event, secret } from './ingest-support.ts';
import { runCli } from './support/cli.ts';
import { testEnvironment } from './support/environment.ts';
import { exampleDirectoryYaml } from './support/factories.ts';
import { uniqueName } from './support/names.ts';
import { dropRedisPrefix } from './support/redis.ts';

const bin = resolve(import.meta.dirname, '../bin/oversight.js');

/** `oversight start` as a child process, with what it printed so far. */
type Service = {
  child: ChildProcess;
  output(): string;
  waitFor(pattern: RegExp, ms?: number): Promise<void>;
  exited: Promise<number | null>;
};

function startService(env: Record<string, string>): Service {
  const child = spawn(process.execPath, [bin, 'start'], {
    env: { PATH: process.env.PATH ?? '', LOG_LEVEL: 'silent', ...env },
    // stdin stays open: the console prompt reads it for as long as the service runs.
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let out = '';
  const listeners = new Set<() => void>();
  const collect = (d: Buffer) => {
    out += d;
    for (const listener of listeners) listener();
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  const exited = new Promise<number | null>((done) => child.on('exit', (code) => done(code)));
  return {
    child,
    output: () => out,
    exited,
    waitFor(pattern, ms = 60_000) {
      return new Promise((done, fail) => {
        const check = () => {
          if (!pattern.test(out)) return;
          listeners.delete(check);
          clearTimeout(timer);
          done();
        };
        const timer = setTimeout(() => {
          listeners.delete(check);
          fail(new Error(`service never printed ${pattern}; it printed:\n${out}`));
        }, ms);
        listeners.add(check);
        void exited.then(() => {
          if (listeners.has(check)) {
            listeners.delete(check);
            clearTimeout(timer);
            fail(new Error(`service exited before printing ${pattern}; it printed:\n${out}`));
          }
        });
        check();
      });
    },
  };
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', () => done()));
  const address = server.address();
  await new Promise<void>((done) => server.close(() => done()));
  if (!address || typeof address === 'string') throw new Error('no port');
  return address.port;
}

/** A data directory, Redis prefix and port of one embedded-database deployment, and its files. */
async function deployment() {
  const dir = mkdtempSync(join(tmpdir(), 'oversight-owner-'));
  const prefix = `{${uniqueName('o')}}`;
  const env = {
    OVERSIGHT_DATA_DIR: join(dir, 'data'),
    REDIS_URL: testEnvironment().redisUrl,
    REDIS_PREFIX: prefix,
    PORT: String(await freePort()),
    EVENTS_SIGNING_SECRET: secret,
  };
  const file = (name: string, text: string) => {
    const path = join(dir, name);
    writeFileSync(path, text);
    return path;
  };
  return { dir, prefix, env, file };
}

type Deployment = Awaited<ReturnType<typeof deployment>>;

const today = () => new Date().toISOString().slice(0, 10);

/**
 * With the service running: every command from a second process, each acted on by the service at
 * once (the notice and the digest print on its console), and two actions (A1, A2) written through it.
 */
async function exerciseWhileRunning(d: Deployment, service: Service, crn: string): Promise<void> {
  const load = await runCli(['directory', 'load', d.file('dir.yaml', exampleDirectoryYaml)], d.env);
  expect(load.stderr).toBe('');
  expect(load.stdout).toContain('staff: 3 created');

  // The team loaded a moment ago is the running service's: the notice goes to it and prints.
  const arrest = event({
    type: 'police.arrest',
    occurredAt: new Date().toISOString(),
    case: { crn },
    data: { offenceCategory: 'violence' },
  });
  const sent = await runCli(['event', 'send', d.file('event.json', JSON.stringify(arrest))], d.env);
  expect(sent.stderr).toBe('');
  expect(sent.stdout).toMatch(/accepted {2}required/);
  await service.waitFor(new RegExp(`┌─ .*${crn}`));

  const digest = await runCli(['digest', '--team', 'YOT-N'], d.env);
  expect(digest.stderr).toBe('');
  expect(digest.stdout).toContain('digest for YOT-N sent to tl-kim');
  await service.waitFor(/┌─ DIGEST to Kim Lowe/);

  const exported = await runCli(['export', crn, '--format', 'json'], d.env);
  expect(exported.stderr).toBe('');
  expect((JSON.parse(exported.stdout) as { requests: unknown[] }).requests).toHaveLength(1);

  const reconciled = await runCli(['reconcile'], d.env);
  expect(reconciled.stderr).toBe('');
  expect(reconciled.stdout).toMatch(/^restored \d+ jobs$/m);

  // A second owner is refused, and says what to do.
  const second = await runCli(['start'], d.env);
  expect(second.code).toBe(1);
  expect(second.stderr).toMatch(
    /in use by another oversight service \(pid \d+\)\. Stop that one first.*set DATABASE_URL/s,
  );

  // This test process is one more client, connected through the service's socket.
  const storage = await openStorage({ dataDir: d.env.OVERSIGHT_DATA_DIR });
  try {
    expect((await insertAction(storage.db, 'YOT-N', { due: today() })).ref).toBe('A1');
    expect((await insertAction(storage.db, 'YOT-N', { due: today() })).ref).toBe('A2');
  } finally {
    await storage.close();
  }
}

/** After a restart: every write reported done is there, and the next ref is A3. */
async function expectEverythingKept(d: Deployment, crn: string): Promise<void> {
  const exported = await runCli(['export', crn, '--format', 'json'], d.env);
  expect(exported.stderr).toBe('');
  expect((JSON.parse(exported.stdout) as { requests: unknown[] }).requests).toHaveLength(1);
  const storage = await openStorage({ dataDir: d.env.OVERSIGHT_DATA_DIR });
  try {
    expect(await storage.db.select().from(staff).where(eq(staff.teamCode, 'YOT-N'))).toHaveLength(3);
    const digests = await storage.db
      .select()
      .from(deliveries)
      .where(and(eq(deliveries.kind, 'direct'), eq(deliveries.target, 'tl-kim')));
    expect(digests).toHaveLength(1);
    expect((await insertAction(storage.db, 'YOT-N', { due: today() })).ref).toBe('A3');
  } finally {
    await storage.close();
  }
}

describe('the embedded database has one owner, and commands work while the service runs', () => {
  const cleanups: Array<() => Promise<void>> = [];
  afterAll(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
  });

  /** Starts the service of a deployment; it is stopped at the end of the file if a test did not. */
  const start = async (d: Deployment) => {
    const service = startService(d.env);
    cleanups.push(async () => {
      if (service.child.exitCode === null && service.child.signalCode === null) {
        service.child.kill('SIGKILL');
        await service.exited;
      }
    });
    await service.waitFor(/oversight listening on .*embedded database/);
    return service;
  };
  const track = (d: Deployment) =>
    cleanups.push(async () => {
      await dropRedisPrefix(d.prefix);
      rmSync(d.dir, { recursive: true, force: true });
    });

  it('after a clean stop, starting again shows every write', async () => {
    const d = await deployment();
    track(d);
    const service = await start(d);
    await exerciseWhileRunning(d, service, 'X710001');

    service.child.kill('SIGTERM');
    expect(await service.exited).toBe(0);
    expect(existsSync(join(d.env.OVERSIGHT_DATA_DIR, 'owner.lock'))).toBe(false);

    const again = await start(d);
    await expectEverythingKept(d, 'X710001');
    again.child.kill('SIGTERM');
    expect(await again.exited).toBe(0);
  }, 240_000);

  it('after the service is killed (kill -9), starting again takes over its lock and shows every write', async () => {
    const d = await deployment();
    track(d);
    const service = await start(d);
    await exerciseWhileRunning(d, service, 'X720001');

    service.child.kill('SIGKILL');
    await service.exited;
    // The dead owner's lock is left behind: it is stale, and the next owner takes it over.
    expect(existsSync(join(d.env.OVERSIGHT_DATA_DIR, 'owner.lock'))).toBe(true);

    const again = await start(d);
    await expectEverythingKept(d, 'X720001');
    again.child.kill('SIGTERM');
    expect(await again.exited).toBe(0);
  }, 240_000);
});
