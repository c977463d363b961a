import type { RecordPayload } from '../payload.ts';

/**
 * Renders the case record into the page. Every value goes in with `textContent`, never as HTML,
 * so notes and reasons cannot inject markup or links.
 */

type Child = Node | string;

function el(tag: string, attrs: Record<string, string> = {}, ...children: Child[]): HTMLElement {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
  for (const c of children) node.append(typeof c === 'string' ? document.createTextNode(c) : c);
  return node;
}

const ratingText: Record<string, string> = {
  sufficient: 'Sufficient',
  insufficient: 'Insufficient',
  not_applicable: 'Not applicable',
};
const evidenceText: Record<string, string> = {
  assessment_revised: 'Assessment revised',
  case_discussion: 'Case discussion',
  direct_observation: 'Direct observation',
  interagency_communication: 'Interagency communication',
  other: 'Other',
};
const assuranceLabels: Array<[string, string]> = [
  ['victimsProtected', 'Victims protected'],
  ['assessmentAndPlanning', 'Assessment and planning'],
  ['timelyAndResponsive', 'Timely and responsive'],
  ['escalation', 'Escalation'],
];

function table(headings: string[], rows: string[][]): HTMLElement {
  return el(
    'table',
    {},
    el('thead', {}, el('tr', {}, ...headings.map((h) => el('th', { scope: 'col' }, h)))),
    el('tbody', {}, ...rows.map((r) => el('tr', {}, ...r.map((c) => el('td', {}, c))))),
  );
}

function details(pairs: Array<[string, string]>): HTMLElement {
  return el('dl', {}, ...pairs.flatMap(([k, v]) => [el('dt', {}, k), el('dd', {}, v)]));
}

/** Fills `root` with the record and marks it ready. */
export function renderRecord(root: HTMLElement, data: RecordPayload): void {
  const { record } = data;
  const at = (iso: string | null) =>
    iso
      ? new Intl.DateTimeFormat('en-GB', {
          timeZone: data.timezone,
          dateStyle: 'medium',
          timeStyle: 'short',
        }).format(new Date(iso))
      : '';
  const who = (code: string | null) => (code ? (data.people[code] ?? code) : '');

  const parts: HTMLElement[] = [
    el('h1', {}, `Oversight record ${record.crn}`),
    el('p', { class: 'meta' }, `${record.service} · team ${record.team} · viewed by ${data.viewer.name}`),
  ];
  if (record.requests.length === 0)
    parts.push(el('p', {}, 'No oversight has been requested for this case yet.'));
  for (const r of record.requests) {
    const section = el(
      'section',
      { class: 'request', 'data-request': r.id },
      el('h2', {}, `Request opened ${at(r.openedAt)} `, el('span', { class: 'status' }, r.status)),
      el('h3', {}, 'Triggers'),
      table(
        ['When', 'Kind', 'Type', 'Rule', 'Policy', 'By', 'Reason'],
        r.triggers.map((t) => [
          at(t.at),
          t.kind,
          t.type,
          t.rule,
          t.policyVersion,
          who(t.by),
          t.referralReason ?? t.reason,
        ]),
      ),
    );
    if (r.acknowledgedBy)
      section.append(details([['Acknowledged', `${who(r.acknowledgedBy)}, ${at(r.acknowledgedAt)}`]]));
    for (const rec of r.records) {
      section.append(
        el(
          'h3',
          {},
          `Oversight record by ${who(rec.by)}, ${at(rec.at)}${rec.supersedes ? ' (a correction)' : ''}`,
        ),
        details([
          ...assuranceLabels.map(([key, label]): [string, string] => {
            const a = rec.assurances[key as keyof typeof rec.assurances];
            return [label, `${ratingText[a.rating] ?? a.rating}${a.note ? ` — ${a.note}` : ''}`];
          }),
          ['Deficits identified', rec.deficits ?? ''],
          ['Rationale', rec.rationale],
          ['Variance from procedure', rec.variance.procedure ?? ''],
          ['Reason for variance', rec.variance.reason ?? ''],
          ['Evidence of oversight', rec.evidence.map((e) => evidenceText[e] ?? e).join(', ')],
        ]),
      );
    }
    if (r.actions.length > 0) {
      section.append(
        el('h3', {}, 'Remedial actions'),
        table(
          ['Ref', 'Action', 'Owner', 'Due date', 'Status', 'Evidence or reason'],
          r.actions.map((a) => [
            a.ref,
            a.description,
            who(a.owner),
            a.due,
            a.status,
            a.doneEvidence ?? a.reason ?? '',
          ]),
        ),
      );
    }
    if (r.closedAt) section.append(details([['Closed', at(r.closedAt)]]));
    parts.push(section);
  }
  parts.push(
    el('h2', {}, 'Audit'),
    table(
      ['When', 'Who', 'Surface', 'What'],
      record.audit.map((a) => [at(a.at), who(a.actor), a.surface, a.action]),
    ),
  );
  root.replaceChildren(...parts);
  root.dataset.state = 'ready';
}

/** Shows why the record cannot be shown. */
export function renderRefusal(root: HTMLElement, title: string, detail: string): void {
  root.replaceChildren(el('h1', {}, title), el('p', {}, detail));
  root.dataset.state = 'refused';
}

/** Asks for a CRN (the Teams tab opens without one). */
export function renderCrnForm(root: HTMLElement, submit: (crn: string) => void): void {
  const input = el('input', {
    id: 'crn',
    name: 'crn',
    required: '',
    pattern: '[A-Za-z][0-9]{6}',
    autocomplete: 'off',
  });
  const form = el(
    'form',
    {},
    el('label', { for: 'crn' }, 'CRN '),
    input,
    ' ',
    el('button', { type: 'submit' }, 'Show the oversight record'),
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    submit((input as HTMLInputElement).value.trim().toUpperCase());
  });
  root.replaceChildren(el('h1', {}, 'Case oversight record'), form);
  root.dataset.state = 'ask';
}
