import type { App } from '@slack/bolt';
import type { SlackDeps } from '../context.ts';
import { callbackIds } from '../ids.ts';
import { recordOversightSubmission } from './record-oversight.ts';

/** Modal submissions. */
export function register(app: App, deps: SlackDeps): void {
  app.view(
    { type: 'view_submission', callback_id: callbackIds.recordModal },
    recordOversightSubmission(deps),
  );
}
