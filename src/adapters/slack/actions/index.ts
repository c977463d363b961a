import type { App, BlockButtonAction } from '@slack/bolt';
import type { SlackDeps } from '../context.ts';
import { actionIds } from '../ids.ts';
import { acknowledgeButton } from './acknowledge.ts';
import { escalateButton } from './escalate.ts';
import { recordOversightButton } from './record-oversight.ts';

/** The notice's buttons. */
export function register(app: App, deps: SlackDeps): void {
  app.action<BlockButtonAction>(actionIds.acknowledge, acknowledgeButton(deps));
  app.action<BlockButtonAction>(actionIds.record, recordOversightButton(deps));
  app.action<BlockButtonAction>(actionIds.escalate, escalateButton(deps));
}
