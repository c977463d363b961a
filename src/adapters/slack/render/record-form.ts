import type { FormAnswers } from '../../../../interactions/record-form.ts';
import { inputActionId } from '../ids.ts';
import type { ModalMetadata } from './record-modal.ts';

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

/** Reads a submitted modal into the form's answers, by field path (the block ids). */
export function readModalAnswers(values: ViewStateValues): FormAnswers {
  const answers: FormAnswers = {};
  for (const [blockId, block] of Object.entries(values)) {
    const state = block[inputActionId];
    if (!state) continue;
    answers[blockId] = state.selected_options
      ? state.selected_options.map((o) => o.value)
      : (state.selected_option?.value ?? state.selected_date ?? state.value ?? '');
  }
  return answers;
}

/** The request a modal belongs to, from its private metadata. */
export function modalRequestId(privateMetadata: string): string {
  try {
    const parsed = JSON.parse(privateMetadata) as Partial<ModalMetadata>;
    return typeof parsed.requestId === 'string' ? parsed.requestId : '';
  } catch {
    return '';
  }
}
