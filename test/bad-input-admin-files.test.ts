import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog, staff, teams } from '../db/schema/index.ts';
import { runCli } from './support/cli.ts';
import { createTestDatabase, type TestDatabase } from './support/database.ts';
import { exampleDirectoryYaml } from './support/factories.ts';
import { uniqueName } from './support/names.ts';
import { dropRedisPrefix } from './support/redis.ts';

/**
 * Bad administrator files: devices, pipes, directories and oversized files given as a directory
 * or policy file, the same Slack or Teams id given to two people, and policy durations that are
 * zero or longer than a year. Each is refused with a message that says what is wrong (and where),
 * and nothing is written.
 */

const validPolicy = (acknowledgeWithin: string) => `version: "bad-input"
thresholds: { youth: { rosh: MEDIUM, vulnerability: MEDIUM }, adult: { rosh: HIGH } }
police: { requiredOffenceCategories: [violence] }
registrations: { required: [mappa] }
allocation: { minimumGrade: {} }
timings: { acknowledgeWithin: ${acknowledgeWithin}, escalateUnacknowledgedAfter: 2d, remindBeforeDue: 1d, repeatOverdueEvery: 1d, escalateOverdueAfter: 3d, remindAwaitingConfirmationEvery: 2d, noOversightWithin: 20d }
`;

describe('bad administrator files are refused and change nothing', () => {
  let db: TestDatabase;
  let dir: string;
  const env = { DATABASE_URL: '', REDIS_PREFIX: `{${uniqueName('t')}}` };
  beforeAll(async () => {
    db = await createTestDatabase();
    env.DATABASE_URL = db.url;
    dir = mkdtempSync(join(tmpdir(), 'oversight-admin-files-'));
    const loaded = await runCli(['directory', 'load', file('directory.yaml', exampleDirectoryYaml)], env);
    expect(loaded.code).toBe(0);
  });
  afterAll(async () => {
    rmSync(dir, { recursive: true, force: true });
    await dropRedisPrefix(env.REDIS_PREFIX);
    await db.drop();
  });
  const file = (name: string, text: string) => {
    const path = join(dir, name);
    writeFileSync(path, text);
    return path;
  };
  const fifo = () => {
    const path = join(dir, `pipe-${uniqueName('f')}`);
    execFileSync('mkfifo', [path]);
    return path;
  };
  const directoryState = async () => ({
    teams: await db.storage.db.select().from(teams),
    staff: await db.storage.db.select().from(staff),
    audit: (await db.storage.db.select().from(auditLog)).length,
  });

  describe.each([
    ['directory load', (path: string) => ['directory', 'load', path]],
    ['policy check', (path: string) => ['policy', 'check', path]],
  ])('%s', (_command, args) => {
    it.each([
      ['/dev/zero', () => '/dev/zero', /not a regular file/],
      ['a directory', () => dir, /is a directory; give the path of a YAML file/],
      ['a FIFO', fifo, /is a pipe/],
      [
        'a 2 MiB file',
        () => file(`big-${uniqueName('b')}.yaml`, `# ${'x'.repeat(2 * 1024 * 1024)}\n`),
        /larger than 1 MiB/,
      ],
    ])('refuses %s with a clear message, writing nothing', async (_name, path, message) => {
      const before = await directoryState();
      const result = await runCli(args(path()), env);
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(message);
      expect(await directoryState()).toEqual(before);
    });
  });

  it('a Slack user id given to two people names the second line and writes nothing', async () => {
    const text = exampleDirectoryYaml
      .replace('user: U0ALI', 'user: U0SAM')
      .replace('name: Kim Lowe', 'name: Kim Lowe-Changed');
    const before = await directoryState();
    const result = await runCli(['directory', 'load', file('twice.yaml', text)], env);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(
      /line 12: staff\[1\]\.slack\.user: Slack user U0SAM is already given to mgr-sam/,
    );
    expect(result.stderr).not.toMatch(/insert|update|select|params/i);
    expect(await directoryState()).toEqual(before);
  });

  it('a Teams id already held by someone outside the file names the line and writes nothing', async () => {
    const text =
      `${exampleDirectoryYaml}  - { code: cm-new, name: New Person, role: case_manager, team: YOT-N, msteams: { aadObjectId: "6b7e-sam" } }\n`.replace(
        / {2}- \{ code: mgr-sam.*\n/,
        '',
      );
    const before = await directoryState();
    const result = await runCli(['directory', 'load', file('held.yaml', text)], env);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/line 13: staff\[2\]\.msteams\.aadObjectId: .*already belongs to mgr-sam/);
    expect(result.stderr).not.toMatch(/insert|params/i);
    expect(await directoryState()).toEqual(before);
  });

  it.each([
    ['0s', /must be longer than zero/],
    ['99999999999999999999d', /must be a duration/],
    ['366d', /must be at most a year/],
  ])('policy check refuses acknowledgeWithin: %s', async (duration, message) => {
    const result = await runCli(
      ['policy', 'check', file(`policy-${duration}.yaml`, validPolicy(duration))],
      {},
    );
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/line 6: timings\.acknowledgeWithin/);
    expect(result.stderr).toMatch(message);
  });

  it('policy check accepts a year exactly', async () => {
    const result = await runCli(['policy', 'check', file('policy-year.yaml', validPolicy('365d'))], {});
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
  });
});
