/** Ids shared by the Block Kit we render and the listeners that receive it (one place, so they cannot drift). */
export const actionIds = {
  acknowledge: 'oversight_acknowledge',
  record: 'oversight_record',
  escalate: 'oversight_escalate',
} as const;

export const callbackIds = { recordModal: 'oversight_record_modal' } as const;

/** The slash command of the app manifest (slack/manifest.yaml). */
export const slashCommand = '/oversight';

/** Action id of every input element in our modals: the block id alone names the field. */
export const inputActionId = 'value';
