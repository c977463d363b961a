import { parseArgs } from 'node:util';
import { testEnvironment } from '../test/support/environment.ts';
import { formatReport } from './report.ts';
import { runSoak } from './soak.ts';

/**
 * `npm run soak -- --minutes N` (default 1; fractions allowed): runs the soak against the Postgres
 * server of the test environment (OVERSIGHT_TEST_DATABASE_URL) with a private Redis server, prints
 * the invariant table, and exits 1 if any invariant failed.
 */
async function main(): Promise<number> {
  const { values } = parseArgs({
    options: { minutes: { type: 'string', default: '1' }, concurrency: { type: 'string', default: '4' } },
  });
  const minutes = Number(values.minutes);
  const concurrency = Number(values.concurrency);
  if (!(minutes > 0 && minutes <= 24 * 60) || !(concurrency >= 1 && concurrency <= 32)) {
    process.stderr.write('usage: npm run soak -- [--minutes N (0 < N ≤ 1440)] [--concurrency C (1–32)]\n');
    return 2;
  }
  const report = await runSoak({
    loadMs: minutes * 60_000,
    concurrency,
    adminDatabaseUrl: testEnvironment().adminDatabaseUrl,
    log: (line) => process.stderr.write(`soak: ${line}\n`),
  });
  process.stdout.write(`${formatReport(report)}\n`);
  if (!report.ok && report.logs) process.stderr.write(`last log lines of the service:\n${report.logs}\n`);
  return report.ok ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (error: Error) => {
    process.stderr.write(`soak could not run: ${error.message}\n`);
    process.exit(1);
  },
);
