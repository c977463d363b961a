import { CloudAdapter, OutboundHostValidator } from '@microsoft/agents-hosting';
import type { Config } from '../../config.ts';
import type { Logger } from '../../logger.ts';
import { errorSummary } from './delivery-errors.ts';
import { loopbackOnly } from './loopback.ts';

export type TeamsConfig = NonNullable<Config['teams']>;

/**
 * The Agents SDK adapter. With credentials, inbound tokens are checked, the token's service URL
 * must match the activity's, and outbound calls may only go to Microsoft's hosts, so our bot token
 * is never sent anywhere else. Without credentials (only with TEAMS_ALLOW_UNAUTHENTICATED=true,
 * never in production: see config) it talks only to loopback service URLs, which is how tests use
 * a local stand-in of the Bot Connector.
 */
export function createCloudAdapter(teams: TeamsConfig, logger: Logger): CloudAdapter {
  const auth = teams.anonymous
    ? {}
    : { clientId: teams.appId, clientSecret: teams.appPassword, tenantId: teams.tenantId };
  const adapter = new CloudAdapter(
    auth,
    undefined,
    undefined,
    { validateServiceUrl: !teams.anonymous, emitStackTrace: false },
    teams.anonymous ? loopbackOnly : new OutboundHostValidator({ enabled: true }),
  );
  // The SDK's default tells users to "fix the source code"; ours logs without content and apologises.
  adapter.onTurnError = async (context, error) => {
    logger.error({ err: errorSummary(error), activity: context.activity.type }, 'teams turn failed');
    if (context.activity.type === 'message') {
      await context
        .sendActivity('Sorry, something went wrong on our side; it has been logged. Please try again.')
        .catch(() => {});
    }
  };
  return adapter;
}
