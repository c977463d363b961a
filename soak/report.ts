import type { SoakReport } from './soak.ts';

/** The invariant table and the figures, as plain text for a terminal or a CI log. */
export function formatReport(report: SoakReport): string {
  const width = Math.max(
    ...report.checks.map((c) => c.name.length),
    ...report.figures.map(([k]) => k.length),
  );
  const lines = [
    `${'invariant'.padEnd(width)}  result  figures`,
    `${'-'.repeat(width)}  ------  -------`,
    ...report.checks.map((c) => `${c.name.padEnd(width)}  ${c.ok ? 'ok    ' : 'FAILED'}  ${c.detail}`),
    '',
    ...report.figures.map(([k, v]) => `${k.padEnd(width)}  ${v}`),
    '',
    report.ok ? 'soak: every invariant held' : 'soak: INVARIANTS FAILED',
  ];
  return lines.join('\n');
}
