import type { CaseRecord } from './record.ts';

/**
 * The case's oversight record for people (`export CRN --format md`): the same content as the JSON
 * export, in order, with the labels every form uses.
 */
export function caseRecordMarkdown(record: CaseRecord): string {
  const out: string[] = [
    `# Oversight record: ${md(record.crn)}`,
    '',
    `- Service: ${md(record.service)}`,
    `- Team: ${md(record.team)}`,
    `- Oversight requests: ${record.requests.length}`,
  ];
  for (const [i, request] of record.requests.entries()) out.push('', ...requestSection(request, i + 1));
  out.push('', '## Audit trail', '');
  if (record.audit.length === 0) out.push('_No entries._');
  for (const a of record.audit) {
    out.push(`- ${md(a.at)} · ${md(a.actor)} (${md(a.surface)}) · ${md(a.action)} · ${md(a.subject)}`);
  }
  return `${out.join('\n')}\n`;
}

type Request = CaseRecord['requests'][number];

function requestSection(r: Request, n: number): string[] {
  const out = [
    `## Request ${n}: ${md(r.status)}`,
    '',
    `- Id: ${md(r.id)}`,
    `- Opened: ${md(r.openedAt)}`,
    `- Acknowledged: ${r.acknowledgedBy ? `${md(r.acknowledgedBy)} at ${md(r.acknowledgedAt ?? '')}` : 'not yet'}`,
  ];
  if (r.closedAt) out.push(`- Closed: ${md(r.closedAt)}`);
  out.push('', '### Triggers', '');
  for (const t of r.triggers) {
    const source =
      t.kind === 'referral'
        ? `referral by ${md(t.by ?? 'unknown')}`
        : `event ${md(t.type)} (${md(t.eventId ?? 'no id')})`;
    out.push(
      `- ${md(t.at)} · ${source} · rule ${md(t.rule)}, policy ${md(t.policyVersion)}: ${md(t.reason)}`,
    );
    if (t.referralReason) out.push(`  - Reason for referral: ${md(t.referralReason)}`);
  }
  out.push('', '### Oversight records', '');
  if (r.records.length === 0) out.push('_None recorded yet._');
  for (const rec of r.records) out.push(...recordLines(rec), '');
  out.push('### Remedial actions', '');
  if (r.actions.length === 0) out.push('_None._');
  for (const a of r.actions) out.push(...actionLines(a));
  return out;
}

const assuranceLabels = [
  ['victimsProtected', 'Victims protected'],
  ['assessmentAndPlanning', 'Assessment and planning'],
  ['timelyAndResponsive', 'Timely and responsive'],
  ['escalation', 'Escalation'],
] as const;

const words = (code: string) => code.replace(/_/g, ' ');

function recordLines(rec: Request['records'][number]): string[] {
  const out = [
    `#### Record by ${md(rec.by)} at ${md(rec.at)}${rec.supersedes ? ` (supersedes ${md(rec.supersedes)})` : ''}`,
    '',
    `- Id: ${md(rec.id)}`,
  ];
  for (const [key, label] of assuranceLabels) {
    const a = rec.assurances[key];
    out.push(`- ${label}: ${md(words(a.rating))}${a.note ? `: ${md(a.note)}` : ''}`);
  }
  out.push(`- Deficits identified: ${rec.deficits ? md(rec.deficits) : 'none recorded'}`);
  out.push(`- Rationale: ${md(rec.rationale)}`);
  if (rec.variance.procedure) {
    out.push(`- Variance from procedure: ${md(rec.variance.procedure)}`);
    out.push(`- Reason for variance: ${md(rec.variance.reason ?? '')}`);
  } else {
    out.push('- Variance from procedure: none');
  }
  out.push(
    `- Evidence of oversight: ${rec.evidence.length ? rec.evidence.map((e) => md(words(e))).join(', ') : 'none'}`,
  );
  return out;
}

function actionLines(a: Request['actions'][number]): string[] {
  const out = [
    `- **${md(a.ref)}** ${md(a.description)} · owner ${md(a.owner)} · due ${md(a.due)} · ${md(words(a.status))}`,
  ];
  if (a.doneEvidence)
    out.push(`  - Done (${md(a.doneBy ?? '')} at ${md(a.doneAt ?? '')}): ${md(a.doneEvidence)}`);
  if (a.confirmedBy) out.push(`  - Confirmed by ${md(a.confirmedBy)} at ${md(a.confirmedAt ?? '')}`);
  if (a.reason) out.push(`  - Reason: ${md(a.reason)}`);
  return out;
}

/**
 * Free text as literal Markdown: punctuation Markdown or HTML would act on is backslash-escaped
 * (so a note cannot become a heading, link or tag), and line breaks stay inside the list item.
 */
export function md(text: string): string {
  return text
    .replace(/[\\`*_{}[\]()<>#+|~]/g, (c) => `\\${c}`)
    .replace(/\r\n?/g, '\n')
    .replace(/\n[ \t]*([-=]|\d+[.)])?/g, (_m, lead: string | undefined) =>
      // A continuation line must not start a list or underline a heading.
      lead ? `\n    ${lead.slice(0, -1)}\\${lead.slice(-1)}` : '\n    ',
    );
}
