import type { AllMiddlewareArgs, BlockButtonAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import { asSlackUser, type SlackDeps } from '../context.ts';
import { respondEphemeral } from '../respond.ts';

type Args = SlackActionMiddlewareArgs<BlockButtonAction> & AllMiddlewareArgs;

/** *Escalate* on a notice: the team lead gets a direct message linking it (queued and audited by the service). */
export const escalateButton =
  (deps: SlackDeps) =>
  async ({ ack, body, action, respond }: Args): Promise<void> => {
    await ack();
    const reply = await asSlackUser(deps, body.user?.id, 'escalate', async (actor) => {
      const result = await deps.services.escalate(actor, { requestId: action.value ?? '' });
      return { ok: true, text: `Escalated ${result.crn} to the team lead; they will get a direct message.` };
    });
    if (reply) await respondEphemeral(respond, reply);
  };
