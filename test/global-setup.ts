import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import postgres from 'postgres';
import type { TestProject } from 'vitest/node';
import { migrationsFolder, openStorage } from '../db/client.ts';
import { testEnvironment } from './support/environment.ts';
import { createdAt, templateName } from './support/names.ts';

/**
 * Migrates one template database per migration set; each test file then clones it
 * (CREATE DATABASE … TEMPLATE), which is much faster than migrating per file.
 */
export default async function setup(project: TestProject): Promise<void> {
  const env = testEnvironment();
  const hash = createHash('sha1');
  for (const file of readdirSync(migrationsFolder).sort()) {
    if (file.endsWith('.sql')) hash.update(readFileSync(resolve(migrationsFolder, file)));
  }
  const template = templateName(hash.digest('hex').slice(0, 10));
  project.provide('templateDatabase', template);

  const admin = postgres(env.adminDatabaseUrl, { max: 1, onnotice: () => {} });
  try {
    const existing = await admin`
      select datname, shobj_description(oid, 'pg_database') as note
      from pg_database where datname like 'oversight\\_tpl\\_%'`;
    if (!existing.some((r) => r.datname === template)) {
      // Templates of other migration sets go once they are an hour old: a younger one may belong to
      // a run still going (a branch with other migrations), which would lose it between its
      // creation and its first clone. One still in use is left for next time.
      const hourAgo = Date.now() / 1000 - 3600;
      for (const r of existing) {
        const born = Number(/^created (\d+)$/.exec(r.note ?? '')?.[1] ?? 0);
        if (born < hourAgo) await admin.unsafe(`drop database if exists "${r.datname}"`).catch(() => {});
      }
      await admin.unsafe(`create database "${template}"`);
      await admin.unsafe(`comment on database "${template}" is 'created ${Math.floor(Date.now() / 1000)}'`);
      const url = new URL(env.adminDatabaseUrl);
      url.pathname = `/${template}`;
      const storage = await openStorage({ databaseUrl: url.toString(), dataDir: '', max: 1 });
      await storage.migrate();
      await storage.close();
    }
    // Leftovers of interrupted runs: test databases over an hour old. Runs may overlap, so a
    // younger database may belong to a run still going (even with no connection open just now).
    const stale = await admin`select datname from pg_database where datname like 'oversight\\_t\\_%'`;
    const hourAgo = Date.now() / 1000 - 3600;
    for (const r of stale) {
      const born = createdAt(r.datname);
      if (born !== undefined && born < hourAgo) {
        await admin.unsafe(`drop database if exists "${r.datname}" with (force)`).catch(() => {});
      }
    }
  } finally {
    await admin.end();
  }
}

declare module 'vitest' {
  export interface ProvidedContext {
    templateDatabase: string;
  }
}
