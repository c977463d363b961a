import type { AdaptiveCard } from '@microsoft/agents-hosting';
import type { FormAnswers, FormField, RecordFormModel } from '../../../../interactions/record-form.ts';
import { verbs } from '../verbs.ts';
import { clean, type Element, heading, para, run, warning } from './text.ts';

/**
 * A field's input id in the card. Dots are kept out of ids (Teams clients differ in what they
 * accept): `assurances.victimsProtected.rating` → `victimsProtected_rating`, `actions.1.due` →
 * `action1_due`, `variance.reason` → `varianceReason`. Derived from the path, so a new field needs
 * nothing here.
 */
export function inputId(path: string): string {
  const assurance = /^assurances\.(\w+)\.(\w+)$/.exec(path);
  if (assurance) return `${assurance[1]}_${assurance[2]}`;
  const action = /^actions\.(\d+)\.(\w+)$/.exec(path);
  if (action) return `action${action[1]}_${action[2]}`;
  return path.replace(/\.(\w)/g, (_, c: string) => c.toUpperCase());
}

export type RecordFormShown = {
  /** What the manager sent last time (shown again with the errors), by input id. */
  values?: Record<string, string>;
  errors?: { message: string; byPath: Record<string, string>; unplaced: string[] };
};

/**
 * The manager's oversight record as an Adaptive Card form, rendered from the one record form model.
 * Submitting it is an `Action.Execute` (verb `recordSubmit`) carrying the request id and every
 * input; invalid input comes back as this form again, with the values kept and each error under
 * its field.
 */
export function recordFormCard(model: RecordFormModel, shown: RecordFormShown = {}): AdaptiveCard {
  const values = shown.values ?? {};
  const body: Element[] = [heading(`Oversight record for ${model.crn}`, 'Large')];
  if (model.supersedes) {
    body.push(para([run(`This corrects the record made by ${model.supersedes.by}; the original is kept.`)]));
  }
  if (shown.errors) body.push(warning(shown.errors.message), ...shown.errors.unplaced.map((m) => warning(m)));
  for (const field of model.fields) {
    if (field.section) body.push(heading(field.section));
    body.push(input(field, values[inputId(field.path)] ?? ''));
    const error = shown.errors?.byPath[field.path];
    if (error) body.push(warning(error));
  }
  const data = { requestId: model.requestId };
  const save = model.supersedes ? { ...data, supersedes: model.supersedes.id } : data;
  return {
    type: 'AdaptiveCard',
    $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
    version: '1.5',
    body,
    actions: [
      {
        type: 'Action.Execute',
        title: 'Save record',
        verb: verbs.recordSubmit,
        data: save,
        style: 'positive',
      },
      { type: 'Action.Execute', title: 'Cancel', verb: verbs.refresh, data, associatedInputs: 'none' },
    ],
  };
}

function input(field: FormField, value: string): Element {
  const id = inputId(field.path);
  const common = {
    id,
    label: clean(field.label, 200),
    ...(field.required ? { isRequired: true, errorMessage: `${field.label} is required` } : {}),
  };
  const choices = (field.options ?? []).map((o) => ({ title: clean(o.label, 100), value: o.value }));
  switch (field.kind) {
    case 'rating':
    case 'staff':
      return { type: 'Input.ChoiceSet', ...common, style: 'compact', value, choices, placeholder: 'Choose' };
    case 'multichoice':
      return { type: 'Input.ChoiceSet', ...common, isMultiSelect: true, style: 'expanded', value, choices };
    case 'date':
      return { type: 'Input.Date', ...common, value };
    default:
      return {
        type: 'Input.Text',
        ...common,
        value: clean(value, 5000),
        maxLength: 5000,
        isMultiline: field.kind === 'longtext',
        ...(field.hint ? { placeholder: clean(field.hint, 200) } : {}),
      };
  }
}

/** The submitted card inputs as the form's answers, by field path. */
export function cardAnswers(model: RecordFormModel, data: Record<string, unknown>): FormAnswers {
  const answers: FormAnswers = {};
  for (const field of model.fields) {
    const v = data[inputId(field.path)];
    if (typeof v !== 'string') continue;
    // A multi-select ChoiceSet submits its values comma-separated.
    answers[field.path] =
      field.kind === 'multichoice'
        ? v
            .split(',')
            .map((s) => s.trim())
            .filter(Boolean)
        : v;
  }
  return answers;
}

/** The submitted values to show again in the form, as strings by input id. */
export function submittedValues(data: Record<string, unknown>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(data).filter((e): e is [string, string] => typeof e[1] === 'string'),
  );
}
