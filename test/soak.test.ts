import { describe, expect, inject, it } from 'vitest';
import { formatReport } from '../soak/report.ts';
import { runSoak } from '../soak/soak.ts';
import { testEnvironment } from './support/environment.ts';

/**
 * The soak (`npm run soak -- --minutes N`) with a short run: the real service as child processes on
 * its own database and Redis server, under concurrent events, commands and button presses, while
 * the worker is killed twice, Redis restarts empty, Postgres connections are cut and the chat
 * platforms answer 429s and 500s. Every invariant must hold; the table is printed either way.
 */
describe('the soak, short', () => {
  it('loses nothing, lets no one in and posts nothing twice under load and faults', async () => {
    const report = await runSoak({
      loadMs: 18_000,
      quiesceMs: 20_000,
      adminDatabaseUrl: testEnvironment().adminDatabaseUrl,
      template: inject('templateDatabase'),
    });
    console.log(formatReport(report));
    expect(report.checks.filter((c) => !c.ok)).toEqual([]);
  }, 120_000);
});
