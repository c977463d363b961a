import { eq, inArray } from 'drizzle-orm';
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { Database } from '../../db/client.ts';
import { staff, teams } from '../../db/schema/index.ts';
import { parseCrn } from '../cases/crn.ts';
import type { Config } from '../config.ts';
import { buildCaseRecord } from '../export/index.ts';
import type { Logger } from '../logger.ts';
import { type Viewer, viewerOfCase } from './access.ts';
import type { Assets } from './bundle.ts';
import { type LinkCheck, type LinkParams, linksUsable, recordPagePath, verifyRecordLink } from './links.ts';
import { refusalPage, shellPage, stylesheet } from './page.ts';
import type { RecordPayload } from './payload.ts';
import type { SsoVerifier } from './sso.ts';

export type TabRouteOptions = {
  db: Database;
  config: Pick<Config, 'linkSigningSecret' | 'production'>;
  logger: Logger;
  assets: () => Promise<Assets>;
  /** Checks a Teams SSO token; undefined when Teams has no credentials (links only). */
  sso: SsoVerifier | undefined;
  now: () => Date;
};

// Teams embeds the tab in a frame; nowhere else may. teams-js fetches Office's domain list.
const csp = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self' https://res.cdn.office.net",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'self' https://teams.microsoft.com https://*.teams.microsoft.com https://*.office.com https://*.cloud.microsoft",
].join('; ');

function secure(reply: FastifyReply): FastifyReply {
  return reply
    .header('content-security-policy', csp)
    .header('cache-control', 'no-store')
    .header('referrer-policy', 'no-referrer')
    .header('x-content-type-options', 'nosniff');
}

const refusals = {
  expired: ['This link has expired', 'Ask the bot for a new one: press "Case record" on the notice again.'],
  invalid: ['This link is not valid', 'Use the link exactly as the bot sent it, or ask for a new one.'],
  denied: ['You cannot see this record', "Only staff of the case's team can see its oversight record."],
  signIn: [
    'Sign-in needed',
    'Open the page from the link the bot sent you, or from the Oversight app in Teams.',
  ],
} as const;

/**
 * The case record page: `GET /tab/record` (HTML), `GET /api/tab/record` (the record as JSON, for
 * the page's script) and the page's assets. A signed link or a Teams SSO token says who is asking;
 * the directory says whether they may see that case.
 */
export function registerTabRoutes(server: FastifyInstance, options: TabRouteOptions): void {
  const { db, config, logger, now } = options;
  const usable = linksUsable(config);
  const checkLink = (query: LinkParams): LinkCheck =>
    usable ? verifyRecordLink(config.linkSigningSecret, query, now()) : { ok: false, reason: 'invalid' };

  server.get(recordPagePath, async (req, reply) => {
    const query = req.query as LinkParams;
    secure(reply).type('text/html; charset=utf-8');
    // The signature is checked here too, so a bad link is refused before any script runs.
    if (query.sig !== undefined) {
      const check = checkLink(query);
      if (!check.ok) {
        const [title, detail] = refusals[check.reason];
        return reply.status(403).send(refusalPage(title, detail));
      }
    }
    return reply.send(shellPage());
  });

  server.get('/api/tab/record', async (req, reply) => {
    secure(reply);
    const query = req.query as LinkParams;
    const crn = parseCrn(query.crn) ?? '';
    const viewer = await identify(req.headers.authorization, query);
    if ('refused' in viewer) {
      const [title, message] = refusals[viewer.refused];
      return reply
        .status(viewer.refused === 'signIn' ? 401 : 403)
        .send({ error: 'forbidden', title, message });
    }
    const person = crn ? await viewerOfCase(db, viewer, crn) : undefined;
    if (!person) {
      logger.info({ route: 'tab.record', outcome: 'denied' }, 'case record refused');
      const [title, message] = refusals.denied;
      return reply.status(403).send({ error: 'forbidden', title, message });
    }
    return reply.send(await payload(db, crn, person));
  });

  server.get('/tab/assets/:file', async (req, reply) => {
    const { file } = req.params as { file: string };
    secure(reply).header('cache-control', 'no-cache');
    if (file === 'record.css') return reply.type('text/css; charset=utf-8').send(stylesheet);
    const assets = await options.assets();
    const text = assets.get(file);
    if (!text) return reply.status(404).send({ error: 'not_found', message: 'no such asset' });
    return reply.type('text/javascript; charset=utf-8').send(text);
  });

  async function identify(
    authorization: string | undefined,
    query: LinkParams,
  ): Promise<Viewer | { refused: 'expired' | 'invalid' | 'signIn' }> {
    if (query.sig !== undefined) {
      const check = checkLink(query);
      if (!check.ok) return { refused: check.reason };
      // The link is for one case: its CRN must be the one asked for.
      const asked = typeof query.crn === 'string' ? query.crn.trim().toUpperCase() : '';
      return check.crn === asked ? { by: 'code', staffCode: check.staffCode } : { refused: 'invalid' };
    }
    const token = /^Bearer (\S+)$/i.exec(authorization ?? '')?.[1];
    if (!token || !options.sso) return { refused: 'signIn' };
    const signedIn = await options.sso(token).catch(() => undefined);
    return signedIn ? { by: 'aad', aadObjectId: signedIn.aadObjectId } : { refused: 'signIn' };
  }
}

async function payload(
  db: Database,
  crn: string,
  viewer: { code: string; name: string; teamCode: string },
): Promise<RecordPayload> {
  const record = await buildCaseRecord(db, crn);
  const [team] = await db.select().from(teams).where(eq(teams.code, record.team));
  const codes = new Set<string>([viewer.code]);
  for (const r of record.requests) {
    for (const t of r.triggers) if (t.by) codes.add(t.by);
    if (r.acknowledgedBy) codes.add(r.acknowledgedBy);
    for (const rec of r.records) codes.add(rec.by);
    for (const a of r.actions) codes.add(a.owner);
  }
  for (const a of record.audit) codes.add(a.actor);
  const rows = await db
    .select({ code: staff.code, name: staff.name })
    .from(staff)
    .where(inArray(staff.code, [...codes]));
  return {
    record,
    timezone: team?.timezone ?? 'Europe/London',
    people: Object.fromEntries(rows.map((r) => [r.code, r.name])),
    viewer: { code: viewer.code, name: viewer.name },
  };
}
