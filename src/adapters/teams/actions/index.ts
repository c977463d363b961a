import { verbs } from '../verbs.ts';
import { acknowledgeAction } from './acknowledge.ts';
import { caseRecordAction } from './case-record.ts';
import type { ActionHandler } from './context.ts';
import { escalateAction } from './escalate.ts';
import { recordAction, recordSubmitAction } from './record.ts';
import { refreshAction } from './refresh.ts';

export { type BotDeps, type ExecuteAction, refusalText } from './context.ts';

/** One handler per card verb. */
export const actionHandlers: Record<string, ActionHandler> = {
  [verbs.acknowledge]: acknowledgeAction,
  [verbs.record]: recordAction,
  [verbs.recordSubmit]: recordSubmitAction,
  [verbs.escalate]: escalateAction,
  [verbs.refresh]: refreshAction,
  [verbs.caseRecord]: caseRecordAction,
};
