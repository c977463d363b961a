import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog, staff, teams } from '../db/schema/index.ts';
import { runCli } from './support/cli.ts';
import { createTestDatabase, type TestDatabase } from './support/database.ts';
import { exampleDirectoryYaml } from './support/factories.ts';
import { uniqueName } from './support/names.ts';
import { dropRedisPrefix } from './support/redis.ts';

describe('oversight directory load', () => {
  let db: TestDatabase;
  const dir = tmpdir();
  // Its own Redis prefix: loading a directory updates the digest schedulers in Redis.
  const env = { DATABASE_URL: '', REDIS_PREFIX: `{${uniqueName('t')}}` };
  beforeAll(async () => {
    db = await createTestDatabase();
    env.DATABASE_URL = db.url;
  });
  afterAll(async () => {
    await dropRedisPrefix(env.REDIS_PREFIX);
    await db.drop();
  });

  const file = (name: string, text: string) => {
    const path = join(dir, `${process.pid}-${name}`);
    writeFileSync(path, text);
    return path;
  };

  it('loads teams and staff, and a second load of the same file changes nothing', async () => {
    const path = file('directory.yaml', exampleDirectoryYaml);
    const first = await runCli(['directory', 'load', path], env);
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    expect(first.stdout).toContain('teams: 1 created, 0 updated, 0 unchanged');
    expect(first.stdout).toContain('staff: 3 created, 0 updated, 0 unchanged');

    const snapshot = async () => ({
      teams: await db.storage.db.select().from(teams),
      staff: await db.storage.db.select().from(staff),
      audit: (await db.storage.db.select().from(auditLog)).length,
    });
    const before = await snapshot();
    expect(before.teams[0]).toMatchObject({ code: 'YOT-N', leadCode: 'tl-kim', slackChannel: 'C0MANAGERS' });

    const second = await runCli(['directory', 'load', path], env);
    expect(second.code).toBe(0);
    expect(second.stdout).toContain('teams: 0 created, 0 updated, 1 unchanged');
    expect(second.stdout).toContain('staff: 0 created, 0 updated, 3 unchanged');
    expect(await snapshot()).toEqual(before);
  });

  it('refuses a file with an unknown role, naming its line, and writes nothing', async () => {
    const text = exampleDirectoryYaml.replace('role: team_lead', 'role: boss').replaceAll('YOT-N', 'YOT-S');
    const result = await runCli(['directory', 'load', file('bad-role.yaml', text)], env);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/line 13: staff\[2\]\.role/);
    const rows = await db.storage.db.select().from(teams);
    expect(rows.map((t) => t.code)).not.toContain('YOT-S');
  });

  it('refuses a file with an unknown team, naming its line, and writes nothing', async () => {
    const text = `${exampleDirectoryYaml}  - { code: cm-new, name: New Person, role: case_manager, team: NOPE }\n`;
    const staffBefore = await db.storage.db.select().from(staff);
    const result = await runCli(['directory', 'load', file('bad-team.yaml', text)], env);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/line 14: staff\[3\]\.team: unknown team "NOPE"/);
    expect(await db.storage.db.select().from(staff)).toEqual(staffBefore);
  });

  it('without --prune an absent person stays active and the output counts them; --prune deactivates them by name', async () => {
    const path = file('directory.yaml', exampleDirectoryYaml);
    await runCli(['directory', 'load', path], env);
    const withoutAli = file(
      'without-ali.yaml',
      exampleDirectoryYaml
        .split('\n')
        .filter((l) => !l.includes('cm-ali'))
        .join('\n'),
    );
    const kept = await runCli(['directory', 'load', withoutAli], env);
    expect(kept.code).toBe(0);
    expect(kept.stdout).toContain(
      '1 active person is absent from the file and left as they are; --prune would deactivate them',
    );
    const ali = async () => (await db.storage.db.select().from(staff)).find((s) => s.code === 'cm-ali');
    expect((await ali())?.active).toBe(true);

    const pruned = await runCli(['directory', 'load', withoutAli, '--prune'], env);
    expect(pruned.stderr).toBe('');
    expect(pruned.code).toBe(0);
    expect(pruned.stdout).toContain('Ali Shah (cm-ali, team YOT-N) is deactivated');
    expect((await ali())?.active).toBe(false);
    const again = await runCli(['directory', 'load', withoutAli, '--prune'], env);
    expect(again.stdout).not.toContain('deactivated');
    expect(again.stdout).toContain('staff: 0 created, 0 updated, 2 unchanged');

    // Back in the file, as active: false: nothing changes; without it, they are active again.
    const leftInFile = exampleDirectoryYaml.replace(
      'msteams: { aadObjectId: "0c41-ali" } }',
      'msteams: { aadObjectId: "0c41-ali" }, active: false }',
    );
    const marked = await runCli(['directory', 'load', file('ali-left.yaml', leftInFile)], env);
    expect(marked.stdout).toContain('staff: 0 created, 0 updated, 3 unchanged');
    await runCli(['directory', 'load', path], env);
    expect((await ali())?.active).toBe(true);
  }, 120_000); // six runs of the real CLI, each a new Node process
});
