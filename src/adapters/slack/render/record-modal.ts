import type { types } from '@slack/bolt';
import type { FormField, RecordFormModel } from '../../../../interactions/record-form.ts';
import { callbackIds, inputActionId } from '../ids.ts';
import { clip, mrkdwn } from './escape.ts';

export type ModalMetadata = { requestId: string };

/**
 * The Record-oversight modal, rendered from the one record form model: block ids are the fields'
 * paths, so answers and validation errors map straight back to the form.
 */
export function recordModal(model: RecordFormModel): types.View {
  const blocks: types.KnownBlock[] = [
    {
      type: 'context',
      elements: [{ type: 'mrkdwn', text: `*${mrkdwn(model.crn)}* · team ${mrkdwn(model.teamCode)}` }],
    },
  ];
  if (model.supersedes) {
    blocks.push({
      type: 'context',
      elements: [
        {
          type: 'plain_text',
          text: clip(`This corrects the record made by ${model.supersedes.by}; the original is kept.`, 2000),
        },
      ],
    });
  }
  for (const field of model.fields) {
    if (field.section)
      blocks.push({ type: 'section', text: { type: 'mrkdwn', text: `*${mrkdwn(field.section)}*` } });
    blocks.push(inputBlock(field));
  }
  const metadata: ModalMetadata = { requestId: model.requestId };
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

function inputBlock(field: FormField): types.InputBlock {
  const options = (field.options ?? []).slice(0, 100).map(
    (o): types.PlainTextOption => ({
      text: { type: 'plain_text', text: clip(o.label, 75) },
      value: o.value,
    }),
  );
  let element: types.InputBlock['element'];
  switch (field.kind) {
    case 'rating':
      element = { type: 'static_select', action_id: inputActionId, options };
      break;
    case 'staff':
      element =
        options.length > 0
          ? { type: 'static_select', action_id: inputActionId, options }
          : { type: 'plain_text_input', action_id: inputActionId };
      break;
    case 'multichoice':
      element = { type: 'checkboxes', action_id: inputActionId, options };
      break;
    case 'date':
      element = { type: 'datepicker', action_id: inputActionId };
      break;
    default:
      element = {
        type: 'plain_text_input',
        action_id: inputActionId,
        multiline: field.kind === 'longtext',
        max_length: 3000,
      };
  }
  return {
    type: 'input',
    block_id: field.path,
    // Slack's own check is only for what every record needs; the rest is checked by the form model.
    optional: !field.required,
    label: { type: 'plain_text', text: clip(field.label, 2000) },
    ...(field.hint ? { hint: { type: 'plain_text', text: clip(field.hint, 2000) } } : {}),
    element,
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
