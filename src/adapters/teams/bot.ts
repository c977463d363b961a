import {
  AgentApplication,
  type CloudAdapter,
  type TurnContext,
  type TurnState,
} from '@microsoft/agents-hosting';
import { runCommand } from '../../../commands/index.ts';
import { auditDeactivated } from '../../permissions.ts';
import { actionHandlers, type BotDeps, type ExecuteAction, refusalText } from './actions/index.ts';
import { cardActivity } from './cards/activity.ts';
import { replyCard } from './cards/message.ts';
import { errorSummary } from './delivery-errors.ts';
import { identify } from './identity.ts';
import { captureReference, onInstalled } from './install.ts';

/**
 * The bot's routes: card buttons (`Action.Execute`), text typed to the bot (the same commands as
 * Slack's slash command) and installation. Handlers are thin: identify, call a service, render.
 */
export function createBot(cloud: CloudAdapter, deps: BotDeps): AgentApplication<TurnState> {
  // No storage: the database is the only state; the SDK's conversation state is not used.
  const bot = new AgentApplication<TurnState>({ adapter: cloud, removeRecipientMention: true });

  bot.adaptiveCards.actionExecute(
    Object.keys(actionHandlers),
    async (context, _state, action: ExecuteAction) => {
      const handler = actionHandlers[action.verb ?? ''];
      const who = await identify(deps.db, context);
      if (!handler) return 'Sorry, I do not know that button. Ask your admin to check the app version.';
      try {
        if (who.leaver) return await refuseLeaver(deps, who.leaver.code, action.verb ?? 'button');
        return await handler(deps, context, action, who);
      } catch (error) {
        // A refusal (or any failure) is answered to the person who pressed, never to the channel.
        return refusalText(deps, error, who);
      }
    },
  );

  bot.onActivity('message', async (context) => {
    const who = await identify(deps.db, context);
    if (context.activity.conversation?.conversationType === 'personal') {
      await captureReference(deps.db, context).catch((error) =>
        deps.logger.warn({ err: errorSummary(error) }, 'could not keep the 1:1 conversation reference'),
      );
    }
    const reply = who.leaver
      ? { ok: false, text: await refuseLeaver(deps, who.leaver.code, 'command') }
      : await runCommand({ services: deps.services, actor: who.actor }, commandText(context));
    await context.sendActivity(cardActivity(replyCard(reply)));
  });

  bot.onConversationUpdate('membersAdded', async (context) => {
    await onInstalled(deps.db, context, cloud.ConnectorClientKey);
  });

  return bot;
}

/** A leaver is refused whatever they press or type (SPEC 'Directory'); the attempt is audited. */
function refuseLeaver(deps: BotDeps, staffCode: string, attempt: string): Promise<string> {
  return auditDeactivated(deps.db, { staffCode, surface: 'msteams' }, attempt);
}

/**
 * The command in a message: Teams may leave markup around it (the bot's mention is removed by the
 * SDK), and people may type the Slack form `/oversight …` or start with the bot's name.
 */
export function commandText(context: TurnContext): string {
  const raw = context.activity.text ?? '';
  const text = raw
    .replace(/<[^>]*>/g, ' ')
    .replace(/&nbsp;/g, ' ')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&')
    .trim();
  return text.replace(/^\/?oversight\b\s*/i, '');
}
