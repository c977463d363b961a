import type { FastifyInstance } from 'fastify';
import type { Database } from '../../db/client.ts';
import type { Config } from '../config.ts';
import type { Logger } from '../logger.ts';
import { createAssetBundler } from './bundle.ts';
import { registerTabRoutes } from './routes.ts';
import { createSsoVerifier } from './sso.ts';

export { recordLink, signRecordLink, verifyRecordLink } from './links.ts';

/**
 * The case record page (the Teams tab, and a plain web page for signed links). SSO is accepted only
 * when the Teams bot has credentials; otherwise signed links are the only way in.
 */
export function setupCaseRecordTab(options: {
  server: FastifyInstance;
  db: Database;
  config: Config;
  logger: Logger;
  now: () => Date;
}): void {
  const { config } = options;
  const teams = config.teams;
  const sso =
    teams && !teams.anonymous && teams.appId
      ? createSsoVerifier({
          appId: teams.appId,
          publicUrl: config.publicUrl,
          ...(teams.tenantId ? { tenantId: teams.tenantId } : {}),
        })
      : undefined;
  registerTabRoutes(options.server, { ...options, assets: createAssetBundler(), sso });
}
