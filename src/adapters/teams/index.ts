import type { FastifyInstance } from 'fastify';
import type { Database } from '../../../db/client.ts';
import type { Config } from '../../config.ts';
import type { Logger } from '../../logger.ts';
import type { Services } from '../../services.ts';
import { createBot } from './bot.ts';
import { TeamsChatAdapter } from './chat-adapter.ts';
import { createCloudAdapter } from './cloud.ts';
import { registerMessagesRoute } from './http.ts';

export { noticeCard } from './cards/notice.ts';
export { TeamsChatAdapter } from './chat-adapter.ts';
export { verbs } from './verbs.ts';

export type TeamsOptions = {
  config: Config;
  server: FastifyInstance;
  services: Services;
  db: Database;
  logger: Logger;
  /** Whether to answer at POST /api/messages (the web role); workers only send. */
  routes: boolean;
};

/**
 * Wires Microsoft Teams when configured: the bot at `POST /api/messages` and the chat adapter the
 * delivery worker posts through. Returns undefined when Teams is off (production without credentials).
 */
export function setupTeams(options: TeamsOptions): TeamsChatAdapter | undefined {
  const { config, server, services, db, logger } = options;
  const teams = config.teams;
  if (!teams) return undefined;
  const cloud = createCloudAdapter(teams, logger);
  const bot = createBot(cloud, { services, db, config, logger });
  if (options.routes) registerMessagesRoute(server, { cloud, bot, anonymous: teams.anonymous, logger });
  return new TeamsChatAdapter({ cloud, db, appId: teams.appId, loopbackOnly: teams.anonymous });
}
