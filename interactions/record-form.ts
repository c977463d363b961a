import { evidenceKinds, ratings } from '../db/schema/index.ts';
import type { FieldError } from '../src/errors.ts';
import type { RecordInput } from '../src/oversight/index.ts';
import { isCalendarDate } from '../src/time.ts';

/**
 * The record form, once for every surface: its fields (with the SPEC's labels), hints, choices and
 * per-field checks. Block Kit, Adaptive Cards and the console prompt only render it and hand the
 * answers back by `path`, so a field added here appears, and is checked, everywhere.
 */

export type FieldKind = 'rating' | 'multichoice' | 'text' | 'longtext' | 'date' | 'staff';

export type FormOption = { value: string; label: string };

export type FormField = {
  /** Where the answer goes in the record's input: `assurances.victimsProtected.rating`, `actions.1.due`. */
  path: string;
  /** The SPEC's word for it, shown as the field's label on every surface. */
  label: string;
  hint?: string;
  kind: FieldKind;
  /** Checked by the form before the record service sees it (which checks everything again). */
  required: boolean;
  options?: FormOption[];
  /** A heading shown before this field (the remedial-action groups). */
  section?: string;
  /** The remedial action row (1-based) this field belongs to; rows left wholly empty are not actions. */
  row?: number;
  /** Surfaces that ask one question at a time ask this only when that field has an answer. */
  dependsOn?: string;
};

export type RecordFormModel = {
  requestId: string;
  crn: string;
  teamCode: string;
  /** The record this one corrects, when the notice already has one. */
  supersedes: { id: string; by: string } | null;
  fields: FormField[];
};

/** What a surface collected: answers by field path (several values for a multi-choice). */
export type FormAnswers = Record<string, string | string[] | undefined>;

export const ratingOptions: FormOption[] = [
  { value: 'sufficient', label: 'Sufficient' },
  { value: 'insufficient', label: 'Insufficient' },
  { value: 'not_applicable', label: 'Not applicable' },
];
// Every stored rating has a label (a compile-time check that the lists agree).
ratings satisfies ReadonlyArray<(typeof ratingOptions)[number]['value']>;

const evidenceLabels: Record<(typeof evidenceKinds)[number], string> = {
  assessment_revised: 'Assessment revised',
  case_discussion: 'Case discussion',
  direct_observation: 'Direct observation',
  interagency_communication: 'Interagency communication',
  other: 'Other',
};

export const evidenceOptions: FormOption[] = evidenceKinds.map((k) => ({
  value: k,
  label: evidenceLabels[k],
}));

/** The four assurances of the paper, with the labels every surface uses (SPEC 'Domain'). */
export const assurances = [
  {
    key: 'victimsProtected',
    label: 'Victims protected',
    hint: 'Victims and potential victims are protected',
  },
  {
    key: 'assessmentAndPlanning',
    label: 'Assessment and planning',
    hint: 'Assessment and planning are effective',
  },
  {
    key: 'timelyAndResponsive',
    label: 'Timely and responsive',
    hint: 'Work is timely, as planned and responsive',
  },
  { key: 'escalation', label: 'Escalation', hint: 'Escalation or other action is taken as needed' },
] as const;

/** Remedial action rows in one form; more can be set with a further record. */
export const actionRows = 3;

/** The record form for one notice: its fields, owners offered from the case's team. */
export function recordFormModel(input: {
  requestId: string;
  crn: string;
  teamCode: string;
  owners: Array<{ code: string; name: string }>;
  supersedes?: { id: string; by: string } | null;
}): RecordFormModel {
  const owners = input.owners.map((o) => ({ value: o.code, label: o.name }));
  const fields: FormField[] = [];
  for (const { key, label, hint } of assurances) {
    fields.push(
      {
        path: `assurances.${key}.rating`,
        label,
        hint,
        kind: 'rating',
        required: true,
        options: ratingOptions,
      },
      { path: `assurances.${key}.note`, label: `${label} note`, kind: 'longtext', required: false },
    );
  }
  fields.push(
    { path: 'deficits', label: 'Deficits identified', kind: 'longtext', required: false },
    {
      path: 'rationale',
      label: 'Rationale',
      hint: 'Why this course was agreed',
      kind: 'longtext',
      required: true,
    },
    {
      path: 'variance.procedure',
      label: 'Variance from procedure',
      hint: 'Any departure from national or local procedure',
      kind: 'text',
      required: false,
    },
    {
      path: 'variance.reason',
      label: 'Reason for variance',
      hint: 'Required when a procedure is named',
      kind: 'longtext',
      required: false,
      dependsOn: 'variance.procedure',
    },
    {
      path: 'evidence',
      label: 'Evidence of oversight',
      kind: 'multichoice',
      required: false,
      options: evidenceOptions,
    },
  );
  for (let row = 1; row <= actionRows; row++) {
    fields.push(
      {
        path: `actions.${row}.description`,
        label: 'Action',
        kind: 'longtext',
        required: false,
        section: `Remedial action ${row} (optional)`,
        row,
      },
      { path: `actions.${row}.owner`, label: 'Owner', kind: 'staff', required: false, options: owners, row },
      { path: `actions.${row}.due`, label: 'Due date', kind: 'date', required: false, row },
    );
  }
  return {
    requestId: input.requestId,
    crn: input.crn,
    teamCode: input.teamCode,
    supersedes: input.supersedes ?? null,
    fields,
  };
}

/** The SPEC's labels as the form shows them (one list for every surface's tests and renderers). */
export function formLabels(model: RecordFormModel): string[] {
  return [...new Set(model.fields.map((f) => f.label))];
}

export type Checked = { ok: true; value: string | string[] } | { ok: false; message: string };

const first = (raw: string | string[] | undefined): string =>
  (Array.isArray(raw) ? (raw[0] ?? '') : (raw ?? '')).trim();

const norm = (s: string) =>
  s
    .trim()
    .toLowerCase()
    .replace(/[\s_-]+/g, ' ');

/** Finds an option by its value, its label, or (for typed answers) a unique prefix of either. */
function option(field: FormField, text: string): FormOption | undefined {
  const options = field.options ?? [];
  const wanted = norm(text);
  if (!wanted) return undefined;
  const exact = options.find((o) => norm(o.value) === wanted || norm(o.label) === wanted);
  if (exact) return exact;
  const prefixed = options.filter(
    (o) => norm(o.label).startsWith(wanted) || norm(o.value).startsWith(wanted),
  );
  return prefixed.length === 1 ? prefixed[0] : undefined;
}

/**
 * A date as people type it: `2026-12-04`, or the UK's day first, `4/12/2026` or `04-12-2026`.
 * Returns the calendar date (YYYY-MM-DD), or undefined when it is not one.
 */
export function readDate(text: string): string | undefined {
  const t = text.trim();
  if (isCalendarDate(t)) return t;
  const uk = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$/.exec(t);
  if (!uk) return undefined;
  const iso = `${uk[3]}-${uk[2]!.padStart(2, '0')}-${uk[1]!.padStart(2, '0')}`;
  return isCalendarDate(iso) ? iso : undefined;
}

/**
 * Checks one answer as typed or chosen, and turns it into what the record takes (an option's
 * value, a date as YYYY-MM-DD). A blank optional answer is fine; the record service still checks
 * the record as a whole (rules between fields, owners in the team).
 */
export function checkAnswer(field: FormField, raw: string | string[] | undefined): Checked {
  if (field.kind === 'multichoice') {
    const parts = (Array.isArray(raw) ? raw : (raw ?? '').split(',')).map((p) => p.trim()).filter(Boolean);
    if (parts.length === 0) {
      return field.required ? { ok: false, message: `${field.label} is required` } : { ok: true, value: [] };
    }
    const values: string[] = [];
    for (const part of parts) {
      const found = option(field, part);
      if (!found) return { ok: false, message: `${field.label}: choose from ${choicesText(field)}` };
      if (!values.includes(found.value)) values.push(found.value);
    }
    return { ok: true, value: values };
  }
  const text = first(raw);
  const choose = `${field.label}: choose ${choicesText(field, ' or ')}`;
  if (!text) {
    if (!field.required) return { ok: true, value: '' };
    return { ok: false, message: field.kind === 'rating' ? choose : `${field.label} is required` };
  }
  if (field.kind === 'rating') {
    const shorthand: Record<string, string> = {
      s: 'sufficient',
      i: 'insufficient',
      n: 'not_applicable',
      na: 'not_applicable',
      'n/a': 'not_applicable',
    };
    const found = option(field, shorthand[norm(text)] ?? text);
    return found ? { ok: true, value: found.value } : { ok: false, message: choose };
  }
  if (field.kind === 'staff') {
    // Owners are checked against the team by the service; here a name is turned into its code.
    const found = option(field, text);
    return { ok: true, value: found?.value ?? text };
  }
  if (field.kind === 'date') {
    const date = readDate(text);
    return date
      ? { ok: true, value: date }
      : { ok: false, message: `${field.label} must be a date, such as ${exampleDate()}` };
  }
  return { ok: true, value: text };
}

function choicesText(field: FormField, last = ', '): string {
  const labels = (field.options ?? []).map((o) => o.label.toLowerCase());
  return labels.length > 1 ? `${labels.slice(0, -1).join(', ')}${last}${labels.at(-1)}` : (labels[0] ?? '');
}

function exampleDate(): string {
  const d = new Date();
  return `${d.getUTCDate()}/${d.getUTCMonth() + 1}/${d.getUTCFullYear()}`;
}

export type ReadForm = {
  input: RecordInput;
  /** Errors the form itself found, by field path; nothing is sent to the record service while there are any. */
  errors: FieldError[];
  /** The form row (1-based) each entry of `input.actions` came from, to put the service's errors back on it. */
  rows: number[];
};

/** Turns a surface's answers into the record service's input, checking each field on the way. */
export function readRecordAnswers(model: RecordFormModel, answers: FormAnswers): ReadForm {
  const errors: FieldError[] = [];
  const target: Record<string, unknown> = {};
  const rowValues = new Map<number, Record<string, string>>();
  for (const field of model.fields) {
    const raw = answers[field.path];
    if (field.row !== undefined) {
      // A row is an action only when something in it is filled; its gaps are then the service's to name.
      const values = rowValues.get(field.row) ?? {};
      const checked = checkAnswer({ ...field, required: false }, raw);
      const part = field.path.split('.').at(-1) as string;
      if (checked.ok) values[part] = String(checked.value);
      else {
        values[part] = first(raw);
        if (first(raw)) errors.push({ path: field.path, message: checked.message });
      }
      rowValues.set(field.row, values);
      continue;
    }
    const checked = checkAnswer(field, raw);
    if (checked.ok) setPath(target, field.path, checked.value);
    else {
      errors.push({ path: field.path, message: checked.message });
      setPath(target, field.path, Array.isArray(raw) ? raw : first(raw));
    }
  }
  const actions: Array<{ description: string; owner: string; due: string }> = [];
  const rows: number[] = [];
  for (const [row, values] of [...rowValues.entries()].sort((a, b) => a[0] - b[0])) {
    const action = {
      description: values.description ?? '',
      owner: values.owner ?? '',
      due: values.due ?? '',
    };
    if (!Object.values(values).some((v) => v.trim() !== '')) continue;
    actions.push(action);
    rows.push(row);
  }
  const input = {
    ...target,
    requestId: model.requestId,
    supersedes: model.supersedes?.id ?? null,
    actions,
  } as unknown as RecordInput;
  return { input, errors, rows };
}

function setPath(target: Record<string, unknown>, path: string, value: unknown): void {
  const keys = path.split('.');
  let node = target;
  for (const key of keys.slice(0, -1)) {
    node[key] ??= {};
    node = node[key] as Record<string, unknown>;
  }
  node[keys.at(-1) as string] = value;
}

/** The form field an error path of the record's input belongs to (`actions[0].owner` → `actions.2.owner`). */
export function toFormPath(path: string, rows: number[]): string | undefined {
  const action = /^actions\[(\d+)\]\.(\w+)$/.exec(path);
  if (action) {
    const row = rows[Number(action[1])];
    return row === undefined ? undefined : `actions.${row}.${action[2]}`;
  }
  return path.replace(/\[\d+\]$/, '');
}

/**
 * Puts the record service's errors (paths such as `actions[0].owner`, `evidence[1]`) on the form's
 * fields; errors on nothing the form shows are returned apart, to show above the form.
 */
export function placeErrors(
  model: RecordFormModel,
  fields: FieldError[],
  rows: number[],
): { byPath: Record<string, string>; unplaced: string[] } {
  const shown = new Set(model.fields.map((f) => f.path));
  const byPath: Record<string, string> = {};
  const unplaced: string[] = [];
  for (const { path, message } of fields) {
    const target = toFormPath(path, rows);
    if (target && shown.has(target)) byPath[target] ??= message;
    else unplaced.push(message);
  }
  return { byPath, unplaced };
}
