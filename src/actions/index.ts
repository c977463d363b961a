export { cancelAction } from './cancel.ts';
export { confirmAction } from './confirm.ts';
export { markDone } from './done.ts';
export { type ActionRow, actionByRef, normaliseRef } from './load.ts';
export { firstActionTimer } from './plan.ts';
export { reopenAction } from './reopen.ts';
export { closeIfSettled } from './settle.ts';
export type { TransitionResult } from './transition.ts';
