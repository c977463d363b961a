import type { types } from '@slack/bolt';
import { evidenceKinds } from '../../../../db/schema/index.ts';
import type { NoticeView } from '../../../chat/views.ts';
import type { StaffRow } from '../../../directory/index.ts';
import { callbackIds, inputActionId } from '../ids.ts';
import { clip, mrkdwn } from './escape.ts';
import { levelWord, serviceWord } from './labels.ts';

/** The four assurances of the paper, with the labels every surface uses (SPEC 'Domain'). */
export const assuranceFields = [
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

/** Remedial action slots in one form; more can be set with a further record. */
export const actionSlots = 3;

const ratingOptions: types.PlainTextOption[] = [
  { text: { type: 'plain_text', text: 'Sufficient' }, value: 'sufficient' },
  { text: { type: 'plain_text', text: 'Insufficient' }, value: 'insufficient' },
  { text: { type: 'plain_text', text: 'Not applicable' }, value: 'not_applicable' },
];

const evidenceWords: Record<(typeof evidenceKinds)[number], string> = {
  assessment_revised: 'Assessment revised',
  case_discussion: 'Case discussion',
  direct_observation: 'Direct observation',
  interagency_communication: 'Interagency communication',
  other: 'Other',
};

/** Block ids are the record's field paths, so validation errors map straight back to the form. */
export const blockIds = {
  rating: (key: string) => `assurances.${key}.rating`,
  note: (key: string) => `assurances.${key}.note`,
  deficits: 'deficits',
  rationale: 'rationale',
  varianceProcedure: 'variance.procedure',
  varianceReason: 'variance.reason',
  evidence: 'evidence',
  action: (slot: number, part: 'description' | 'owner' | 'due') => `actions.${slot}.${part}`,
};

export type ModalMetadata = { requestId: string };

/** The Record-oversight modal: the record's fields, with remedial action owners from the team's staff. */
export function recordModal(notice: NoticeView, teamStaff: StaffRow[]): types.View {
  const owners: types.PlainTextOption[] = teamStaff.slice(0, 100).map((s) => ({
    text: { type: 'plain_text', text: clip(`${s.name} (${s.code})`, 75) },
    value: s.code,
  }));
  const blocks: types.KnownBlock[] = [
    {
      type: 'context',
      elements: [
        {
          type: 'mrkdwn',
          text: `*${mrkdwn(notice.crn)}* · ${serviceWord(notice.service)} · RoSH ${levelWord(notice.rosh)} · team ${mrkdwn(notice.teamCode)}`,
        },
      ],
    },
    ...assuranceFields.flatMap(({ key, label, hint }): types.KnownBlock[] => [
      {
        type: 'input',
        block_id: blockIds.rating(key),
        label: { type: 'plain_text', text: label },
        hint: { type: 'plain_text', text: hint },
        element: { type: 'static_select', action_id: inputActionId, options: ratingOptions },
      },
      textInput(blockIds.note(key), `${label}: note`, { optional: true, multiline: true }),
    ]),
    textInput(blockIds.deficits, 'Deficits identified', { optional: true, multiline: true }),
    textInput(blockIds.rationale, 'Rationale', {
      multiline: true,
      hint: 'Why this course was agreed (required)',
    }),
    textInput(blockIds.varianceProcedure, 'Variance from procedure', {
      optional: true,
      hint: 'Any departure from national or local procedure',
    }),
    textInput(blockIds.varianceReason, 'Reason for variance', {
      optional: true,
      multiline: true,
      hint: 'Required when a procedure is named',
    }),
    {
      type: 'input',
      block_id: blockIds.evidence,
      optional: true,
      label: { type: 'plain_text', text: 'Evidence of oversight' },
      element: {
        type: 'checkboxes',
        action_id: inputActionId,
        options: evidenceKinds.map((kind) => ({
          text: { type: 'plain_text', text: evidenceWords[kind] },
          value: kind,
        })),
      },
    },
  ];
  for (let slot = 1; slot <= actionSlots; slot++) {
    blocks.push(
      { type: 'section', text: { type: 'mrkdwn', text: `*Remedial action ${slot}* (optional)` } },
      textInput(blockIds.action(slot, 'description'), 'Action', { optional: true }),
      {
        type: 'input',
        block_id: blockIds.action(slot, 'owner'),
        optional: true,
        label: { type: 'plain_text', text: 'Owner' },
        element:
          owners.length > 0
            ? { type: 'static_select', action_id: inputActionId, options: owners }
            : { type: 'plain_text_input', action_id: inputActionId },
      },
      {
        type: 'input',
        block_id: blockIds.action(slot, 'due'),
        optional: true,
        label: { type: 'plain_text', text: 'Due date' },
        element: { type: 'datepicker', action_id: inputActionId },
      },
    );
  }
  const metadata: ModalMetadata = { requestId: notice.requestId };
  return {
    type: 'modal',
    callback_id: callbackIds.recordModal,
    private_metadata: JSON.stringify(metadata),
    title: { type: 'plain_text', text: 'Record oversight' },
    submit: { type: 'plain_text', text: 'Save record' },
    close: { type: 'plain_text', text: 'Cancel' },
    blocks,
  };
}

function textInput(
  blockId: string,
  label: string,
  options: { optional?: boolean; multiline?: boolean; hint?: string },
): types.InputBlock {
  return {
    type: 'input',
    block_id: blockId,
    optional: options.optional ?? false,
    label: { type: 'plain_text', text: label },
    ...(options.hint ? { hint: { type: 'plain_text', text: options.hint } } : {}),
    element: {
      type: 'plain_text_input',
      action_id: inputActionId,
      multiline: options.multiline ?? false,
      max_length: 3000,
    },
  };
}

/** A modal that only says something (saved, refused, failed), replacing the form. */
export function noticeModal(title: string, lines: string[]): types.View {
  return {
    type: 'modal',
    title: { type: 'plain_text', text: clip(title, 24) },
    close: { type: 'plain_text', text: 'Close' },
    blocks: [{ type: 'section', text: { type: 'mrkdwn', text: clip(lines.map(mrkdwn).join('\n'), 2900) } }],
  };
}
