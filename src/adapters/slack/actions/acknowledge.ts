import type { AllMiddlewareArgs, BlockButtonAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import { formatLocal } from '../../../time.ts';
import { asSlackUser, type SlackDeps } from '../context.ts';
import { respondEphemeral } from '../respond.ts';

type Args = SlackActionMiddlewareArgs<BlockButtonAction> & AllMiddlewareArgs;

/**
 * *Acknowledge* on a notice. The service does the compare-and-set and the permission check; the
 * notice is re-rendered in place through the delivery queue, so only a refusal or "someone was
 * quicker" is answered here, to the person who pressed.
 */
export const acknowledgeButton =
  (deps: SlackDeps) =>
  async ({ ack, body, action, respond }: Args): Promise<void> => {
    await ack();
    const reply = await asSlackUser(deps, body.user?.id, 'acknowledge', async (actor) => {
      const result = await deps.services.acknowledge(actor, { requestId: action.value ?? '' });
      if (result.status === 'acknowledged') return null;
      const notice = await deps.services.noticeView(result.requestId);
      const by = notice.acknowledged;
      return {
        ok: true,
        text: by
          ? `${result.crn} was already acknowledged by ${by.by.name} at ${formatLocal(by.at, notice.timezone)}.`
          : `${result.crn} is already past acknowledgement (${notice.status}).`,
      };
    });
    if (reply) await respondEphemeral(respond, reply);
  };
