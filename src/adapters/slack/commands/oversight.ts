import type { AllMiddlewareArgs, SlackCommandMiddlewareArgs } from '@slack/bolt';
import { runCommand } from '../../../../commands/index.ts';
import { asSlackUser, type SlackDeps } from '../context.ts';
import { respondEphemeral } from '../respond.ts';

type Args = SlackCommandMiddlewareArgs & AllMiddlewareArgs;

/**
 * `/oversight …`: acknowledged at once (Slack allows 3 s), then the platform-neutral command runs
 * and its reply goes back through the command's response_url, visible only to the person.
 */
export const oversightCommand =
  (deps: SlackDeps) =>
  async ({ ack, command, respond }: Args): Promise<void> => {
    await ack();
    const reply = await asSlackUser(deps, command.user_id, 'command', (actor) =>
      runCommand({ services: deps.services, actor }, command.text ?? ''),
    );
    if (reply) await respondEphemeral(respond, reply);
  };
