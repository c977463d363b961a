import type { FastifyInstance } from 'fastify';
import type { Database } from '../../db/client.ts';
import type { Config } from '../config.ts';
import type { Logger } from '../logger.ts';
import { createAssetBundler } from './bundle.ts';
import { registerTabRoutes, secure } from './routes.ts';
import { createCookieSealer } from './session.ts';
import { registerSignInRoutes } from './sign-in.ts';
import { createSsoVerifier } from './sso.ts';

export { recordLink, signRecordLink, verifyRecordLink } from './links.ts';

/**
 * The case record page (the Teams tab, and a plain web page for signed links). SSO is accepted only
 * when the Teams bot has credentials. With OpenID Connect configured, people sign in and a link is
 * only a pointer; without it, production refuses links and development trusts them alone.
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
  const sessions = config.oidc ? createCookieSealer(config.oidc.sessionSecret, options.now) : undefined;
  if (config.oidc && sessions) {
    registerSignInRoutes(options.server, {
      db: options.db,
      oidc: config.oidc,
      publicUrl: config.publicUrl,
      secureCookies: config.env !== 'development' || config.publicUrl.startsWith('https:'),
      sealer: sessions,
      logger: options.logger,
      harden: secure,
    });
  }
  registerTabRoutes(options.server, { ...options, assets: createAssetBundler(), sso, sessions });
}
