import type { AdaptiveCard } from '@microsoft/agents-hosting';
import { evidenceKinds, ratings } from '../../../../db/schema/index.ts';
import { verbs } from '../verbs.ts';
import {
  actionRows,
  assuranceFields,
  evidenceTitles,
  inputIds,
  labels,
  ratingTitles,
} from './record-fields.ts';
import { clean, type Element, heading, para, run, warning } from './text.ts';

export type RecordFormModel = {
  requestId: string;
  crn: string;
  teamCode: string;
  /** Staff of the case's team, who may own a remedial action. */
  owners: Array<{ code: string; name: string }>;
  /** The record this one corrects, when the notice already has one. */
  supersedes: { id: string; by: string } | null;
  /** What the manager typed last time (shown again with the errors). */
  values?: Record<string, string>;
  errors?: { message: string; byInput: Record<string, string[]> };
};

/**
 * The manager's oversight record as an Adaptive Card form, with the SPEC's labels. Submitting it is
 * an `Action.Execute` (verb `recordSubmit`) carrying the request id and every input; invalid input
 * comes back as this form again, with the values kept and each error under its field.
 */
export function recordFormCard(model: RecordFormModel): AdaptiveCard {
  const values = model.values ?? {};
  const errorsFor = (id: string): Element[] => (model.errors?.byInput[id] ?? []).map((m) => warning(m));
  const text = (id: string, label: string, options: Element = {}): Element[] => [
    {
      type: 'Input.Text',
      id,
      label,
      value: clean(values[id] ?? '', 5000),
      maxLength: 5000,
      ...options,
    },
    ...errorsFor(id),
  ];
  const choice = (
    id: string,
    label: string,
    choices: Array<{ title: string; value: string }>,
    options: Element = {},
  ) => [
    {
      type: 'Input.ChoiceSet',
      id,
      label,
      style: 'compact',
      value: values[id] ?? '',
      choices: choices.map((c) => ({ title: clean(c.title, 100), value: c.value })),
      ...options,
    },
    ...errorsFor(id),
  ];

  const body: Element[] = [heading(`Oversight record for ${model.crn}`, 'Large')];
  if (model.supersedes) {
    body.push(para([run(`This corrects the record made by ${model.supersedes.by}; the original is kept.`)]));
  }
  if (model.errors) body.push(warning(model.errors.message), ...errorsFor(''));

  const ratingChoices = ratings.map((r) => ({ title: ratingTitles[r], value: r }));
  for (const { key, label } of assuranceFields) {
    body.push(
      ...choice(inputIds.rating(key), label, ratingChoices, {
        isRequired: true,
        errorMessage: `${label}: choose sufficient, insufficient or not applicable`,
        placeholder: 'Choose',
      }),
      ...text(inputIds.note(key), `${label} note`, { placeholder: 'Optional', isMultiline: true }),
    );
  }
  body.push(
    ...text(inputIds.deficits, labels.deficits, { isMultiline: true }),
    ...text(inputIds.rationale, labels.rationale, {
      isMultiline: true,
      isRequired: true,
      errorMessage: 'Rationale is required',
      placeholder: 'Why this course was agreed',
    }),
    ...text(inputIds.varianceProcedure, labels.varianceProcedure, {
      placeholder: 'Optional: the procedure departed from',
    }),
    ...text(inputIds.varianceReason, labels.varianceReason, { isMultiline: true }),
    ...choice(
      inputIds.evidence,
      labels.evidence,
      evidenceKinds.map((k) => ({ title: evidenceTitles[k], value: k })),
      { isMultiSelect: true, style: 'expanded' },
    ),
  );
  const ownerChoices = model.owners.map((o) => ({ title: o.name, value: o.code }));
  for (let row = 0; row < actionRows; row++) {
    body.push(
      heading(`Remedial action ${row + 1}${row === 0 ? '' : ' (optional)'}`),
      ...text(inputIds.action(row), labels.action, { isMultiline: true }),
      ...choice(inputIds.owner(row), labels.owner, ownerChoices, { placeholder: 'Choose' }),
      {
        type: 'Input.Date',
        id: inputIds.due(row),
        label: labels.due,
        value: values[inputIds.due(row)] ?? '',
      },
      ...errorsFor(inputIds.due(row)),
    );
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
