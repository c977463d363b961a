import type { FieldError } from '../../../errors.ts';
import type { RecordInput } from '../../../oversight/index.ts';
import { inputActionId } from '../ids.ts';
import { actionSlots, assuranceFields, blockIds, type ModalMetadata } from './record-modal.ts';

/** `view.state.values` of a submitted modal: block id → action id → the element's state. */
export type ViewStateValues = Record<
  string,
  Record<
    string,
    {
      value?: string | null;
      selected_option?: { value: string } | null;
      selected_options?: Array<{ value: string }>;
      selected_date?: string | null;
    }
  >
>;

export type RecordForm = {
  input: RecordInput;
  /** Which form slot (1-based) each entry of `input.actions` came from, to put errors back on it. */
  actionSlots: number[];
};

/**
 * Reads the Record-oversight modal into the record service's input. A remedial action is included
 * when any of its fields is filled, so a half-filled one is reported rather than silently dropped.
 */
export function readRecordForm(values: ViewStateValues, privateMetadata: string): RecordForm {
  const get = (blockId: string) => values[blockId]?.[inputActionId];
  const text = (blockId: string) => get(blockId)?.value ?? '';
  const selected = (blockId: string) => get(blockId)?.selected_option?.value ?? get(blockId)?.value ?? '';
  const assurances = Object.fromEntries(
    assuranceFields.map(({ key }) => [
      key,
      { rating: selected(blockIds.rating(key)), note: text(blockIds.note(key)) },
    ]),
  ) as unknown as RecordInput['assurances'];
  const actions: NonNullable<RecordInput['actions']> = [];
  const slots: number[] = [];
  for (let slot = 1; slot <= actionSlots; slot++) {
    const action = {
      description: text(blockIds.action(slot, 'description')),
      owner: selected(blockIds.action(slot, 'owner')),
      due: get(blockIds.action(slot, 'due'))?.selected_date ?? '',
    };
    if (action.description.trim() || action.owner || action.due) {
      actions.push(action);
      slots.push(slot);
    }
  }
  return {
    input: {
      requestId: parseMetadata(privateMetadata).requestId,
      assurances,
      deficits: text(blockIds.deficits),
      rationale: text(blockIds.rationale),
      variance: { procedure: text(blockIds.varianceProcedure), reason: text(blockIds.varianceReason) },
      evidence: (get(blockIds.evidence)?.selected_options ?? []).map(
        (o) => o.value,
      ) as RecordInput['evidence'],
      actions,
    },
    actionSlots: slots,
  };
}

function parseMetadata(text: string): ModalMetadata {
  try {
    const parsed = JSON.parse(text) as Partial<ModalMetadata>;
    return { requestId: typeof parsed.requestId === 'string' ? parsed.requestId : '' };
  } catch {
    return { requestId: '' };
  }
}

/**
 * Maps the record service's field errors (paths such as `actions[0].owner`) to the modal's block
 * ids, for `response_action: errors`. Errors on fields the form does not show are returned apart.
 */
export function formErrors(
  fields: FieldError[],
  slotsOfActions: number[],
): { errors: Record<string, string>; unplaced: string[] } {
  const known = new Set<string>([
    ...assuranceFields.flatMap(({ key }) => [blockIds.rating(key), blockIds.note(key)]),
    blockIds.deficits,
    blockIds.rationale,
    blockIds.varianceProcedure,
    blockIds.varianceReason,
    blockIds.evidence,
  ]);
  const errors: Record<string, string> = {};
  const unplaced: string[] = [];
  for (const { path, message } of fields) {
    const action = /^actions\[(\d+)\]\.(description|owner|due)$/.exec(path);
    let blockId: string | undefined;
    if (action) {
      const slot = slotsOfActions[Number(action[1])];
      if (slot) blockId = blockIds.action(slot, action[2] as 'description' | 'owner' | 'due');
    } else if (known.has(path)) {
      blockId = path;
    } else if (/^evidence\[\d+\]$/.test(path)) {
      blockId = blockIds.evidence;
    }
    if (blockId) errors[blockId] ??= message;
    else unplaced.push(message);
  }
  return { errors, unplaced };
}
