import type { AllMiddlewareArgs, BlockButtonAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import { openRecordForm } from '../../../../interactions/record.ts';
import { asSlackUser, type SlackDeps } from '../context.ts';
import { recordModal } from '../render/record-modal.ts';
import { respondEphemeral } from '../respond.ts';

type Args = SlackActionMiddlewareArgs<BlockButtonAction> & AllMiddlewareArgs;

/** *Record oversight* on a notice opens the record form (refusals are the interaction's, audited). */
export const recordOversightButton =
  (deps: SlackDeps) =>
  async ({ ack, body, action, respond, client }: Args): Promise<void> => {
    await ack();
    const reply = await asSlackUser(deps, body.user?.id, 'record.open', async (actor) => {
      const model = await openRecordForm(deps.services, actor, action.value ?? '');
      // trigger_id is valid for 3 s after the press, so the form opens before anything slow.
      await client.views.open({ trigger_id: body.trigger_id, view: recordModal(model) });
      return null;
    });
    if (reply) await respondEphemeral(respond, reply);
  };
