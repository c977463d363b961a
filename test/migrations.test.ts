import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStorage } from '../db/client.ts';
import { auditLog, oversightRecords, oversightRequests } from '../db/schema/index.ts';
import { createTestDatabase, type TestDatabase } from './support/database.ts';
import { makeCase, makeTeam, notApplicableAssurances } from './support/factories.ts';

/** The database's own message for a refused statement (drizzle wraps it as the error's cause). */
async function failure(query: PromiseLike<unknown>): Promise<string> {
  try {
    await query;
  } catch (error) {
    const e = error as Error & { cause?: Error };
    return `${e.message} ${e.cause?.message ?? ''}`;
  }
  return 'no error';
}

describe('migrations', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(() => db.drop());

  it('apply on Postgres from empty, and report themselves applied', async () => {
    await expect(db.storage.check()).resolves.toBeUndefined();
    // Applying again is a no-op.
    await expect(db.storage.migrate()).resolves.toBeUndefined();
  });

  it('apply on the embedded PGlite from empty, with the same schema', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'oversight-pglite-'));
    const storage = await openStorage({ dataDir: dir });
    try {
      await expect(storage.check()).rejects.toThrow(/oversight migrate/);
      await storage.migrate();
      await storage.check();
      await makeTeam(storage.db);
      await makeCase(storage.db, 'X123456');
      await storage.db.insert(auditLog).values({
        actor: 'system',
        surface: 'system',
        action: 'test',
        subjectType: 'case',
        subjectId: 'X123456',
      });
      await expect(storage.db.update(auditLog).set({ action: 'changed' })).rejects.toThrow();
    } finally {
      await storage.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('the database refuses UPDATE, DELETE and TRUNCATE of the audit log', async () => {
    const { db: d } = db.storage;
    await d.insert(auditLog).values({
      actor: 'mgr-sam',
      surface: 'slack',
      action: 'request.acknowledged',
      subjectType: 'request',
      subjectId: 'r1',
    });
    expect(await failure(d.update(auditLog).set({ actor: 'someone-else' }))).toMatch(
      /append-only: UPDATE refused/,
    );
    expect(await failure(d.delete(auditLog))).toMatch(/append-only: DELETE refused/);
    expect(await failure(d.execute(sql`truncate audit_log`))).toMatch(/append-only: TRUNCATE refused/);
    const rows = await d.select().from(auditLog);
    expect(rows.map((r) => r.actor)).toEqual(['mgr-sam']);
  });

  it('the database refuses UPDATE and DELETE of oversight records', async () => {
    const { db: d } = db.storage;
    await makeTeam(d, { code: 'T-REC' });
    await makeCase(d, 'X000001', { teamCode: 'T-REC' });
    const [request] = await d
      .insert(oversightRequests)
      .values({ crn: 'X000001', teamCode: 'T-REC', acknowledgeBy: new Date() })
      .returning();
    await d.insert(oversightRecords).values({
      requestId: request!.id,
      crn: 'X000001',
      by: 'mgr-sam',
      rationale: 'Risk plan reviewed with the case manager',
      assurances: notApplicableAssurances,
    });
    expect(await failure(d.update(oversightRecords).set({ rationale: 'rewritten' }))).toMatch(/append-only/);
    expect(await failure(d.delete(oversightRecords))).toMatch(/append-only/);
    const [kept] = await d.select().from(oversightRecords);
    expect(kept?.rationale).toBe('Risk plan reviewed with the case manager');
  });
});
