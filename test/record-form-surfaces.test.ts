import { describe, expect, it } from 'vitest';
import {
  type FormField,
  placeErrors,
  readRecordAnswers,
  recordFormModel,
} from '../interactions/record-form.ts';
import { askRecordForm } from '../src/adapters/console/prompt.ts';
import { recordModal } from '../src/adapters/slack/render/record-modal.ts';
import { recordFormCard } from '../src/adapters/teams/cards/record-form.ts';
import { daysFromToday } from './support/dates.ts';

/** The form every surface renders, with one field added the way a later change would add one. */
function modelWithNewField() {
  const model = recordFormModel({
    requestId: '00000000-0000-4000-8000-000000000001',
    crn: 'X123456',
    teamCode: 'YOT-N',
    owners: [{ code: 'cm-ali', name: 'Ali Shah' }],
  });
  const added: FormField = {
    path: 'optionsNotTaken',
    label: 'Options not taken',
    hint: 'What was considered and not done, and why',
    kind: 'longtext',
    required: true,
  };
  model.fields.splice(model.fields.findIndex((f) => f.path === 'evidence') + 1, 0, added);
  return model;
}

const filled = {
  'assurances.victimsProtected.rating': 'sufficient',
  'assurances.assessmentAndPlanning.rating': 'sufficient',
  'assurances.timelyAndResponsive.rating': 'sufficient',
  'assurances.escalation.rating': 'not_applicable',
  rationale: 'Plan is sound',
};

describe('one record form model for Slack, Teams and the console', () => {
  it('a field added to the model appears with its label on every surface', async () => {
    const model = modelWithNewField();
    const slack = JSON.stringify(recordModal(model));
    expect(slack).toContain('"block_id":"optionsNotTaken"');
    expect(slack).toContain('"text":"Options not taken"');
    const teams = JSON.stringify(recordFormCard(model));
    expect(teams).toContain('"id":"optionsNotTaken"');
    expect(teams).toContain('"label":"Options not taken"');
    const asked: string[] = [];
    const answers = [
      's',
      '',
      's',
      '',
      's',
      '',
      'n',
      '',
      '',
      'Plan is sound',
      '',
      '',
      'Moving the person',
      '',
    ];
    await askRecordForm(
      model,
      async (q) => {
        asked.push(q);
        return answers.shift() ?? '';
      },
      () => {},
    );
    expect(asked.some((q) => q.startsWith('Options not taken'))).toBe(true);
  });

  it("the added field's validation error shows on every surface, on that field", async () => {
    const model = modelWithNewField();
    const read = readRecordAnswers(model, filled);
    expect(read.errors).toEqual([{ path: 'optionsNotTaken', message: 'Options not taken is required' }]);
    const placed = placeErrors(model, read.errors, read.rows);
    // Slack: the modal's inline errors are keyed by block id, which is the field's path.
    expect(placed.byPath).toEqual({ optionsNotTaken: 'Options not taken is required' });
    // Teams: the card shown again carries the error under the field.
    const card = JSON.stringify(
      recordFormCard(model, { errors: { message: 'Not saved', byPath: placed.byPath, unplaced: [] } }),
    );
    expect(card.indexOf('Options not taken is required')).toBeGreaterThan(
      card.indexOf('"id":"optionsNotTaken"'),
    );
    // Console: a blank answer is refused as it is typed, and asked again.
    const written: string[] = [];
    const answers = ['', 'Moving the person'];
    const got = await askRecordForm(
      model,
      async () => answers.shift() ?? '',
      (t) => written.push(t),
      new Set(['optionsNotTaken']),
    );
    expect(written.join('')).toContain('Options not taken is required');
    expect(got.optionsNotTaken).toBe('Moving the person');
  });

  it('accepts the forms people type: UK dates, evidence by its label, ratings by their first letter', () => {
    const due = daysFromToday(40);
    const [y, m, d] = due.split('-').map(Number);
    const model = recordFormModel({ requestId: 'r', crn: 'X123456', teamCode: 'YOT-N', owners: [] });
    const read = readRecordAnswers(model, {
      ...filled,
      'assurances.victimsProtected.rating': 'i',
      evidence: ['Case discussion', 'assessment revised'],
      'actions.1.description': 'Revise the plan',
      'actions.1.owner': 'cm-ali',
      'actions.1.due': `${d}/${m}/${y}`,
    });
    expect(read.errors).toEqual([]);
    expect(read.input).toMatchObject({
      assurances: { victimsProtected: { rating: 'insufficient' } },
      evidence: ['case_discussion', 'assessment_revised'],
      actions: [{ description: 'Revise the plan', owner: 'cm-ali', due }],
    });
  });
});
