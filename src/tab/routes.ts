import { eq, inArray } from 'drizzle-orm';
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { Database } from '../../db/client.ts';
import { staff, teams } from '../../db/schema/index.ts';
import { audit } from '../audit/write.ts';
import { parseCrn } from '../cases/crn.ts';
import type { Config } from '../config.ts';
import type { Actor } from '../context.ts';
import { buildCaseRecord } from '../export/index.ts';
import type { Logger } from '../logger.ts';
import { type Viewer, viewerOfCase } from './access.ts';
import type { Assets } from './bundle.ts';
import { type LinkCheck, type LinkParams, linksUsable, recordPagePath, verifyRecordLink } from './links.ts';
import { refusalPage, shellPage, stylesheet } from './page.ts';
import type { RecordPayload } from './payload.ts';
import { type CookieSealer, readCookie, sessionCookie } from './session.ts';
import { signInUrl } from './sign-in.ts';
import type { SsoVerifier } from './sso.ts';

export type TabRouteOptions = {
  db: Database;
  config: Pick<Config, 'linkSigningSecret' | 'production'>;
  logger: Logger;
  assets: () => Promise<Assets>;
  /** Checks a Teams SSO token; undefined when Teams has no credentials (links only). */
  sso: SsoVerifier | undefined;
  /** Opens sign-in sessions; undefined when OpenID Connect is not configured. */
  sessions?: CookieSealer | undefined;
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

/** Sets the record page's security headers (CSP, no caching, no referrer). */
export function secure(reply: FastifyReply): FastifyReply {
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
  notConfigured: [
    'Sign-in is not configured',
    'This service has no sign-in set up, so record links cannot be opened here. Use the Oversight app in Teams, or ask your administrator.',
  ],
} as const;

type Refusal = keyof typeof refusals;
type Identified = { viewer: Viewer; surface: Actor['surface']; via: 'link' | 'session' | 'sso' };

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
      if (!options.sessions && config.production) {
        // A link alone is a bearer credential: production opens it only for a signed-in person.
        const [title, detail] = refusals.notConfigured;
        return reply.status(503).send(refusalPage(title, detail));
      }
      const check = checkLink(query);
      if (!check.ok) {
        const [title, detail] = refusals[check.reason];
        return reply.status(403).send(refusalPage(title, detail));
      }
      // With sign-in configured a link is only a pointer: sign in first, then come back to it.
      if (
        options.sessions &&
        !(await options.sessions.openSession(readCookie(req.headers.cookie, sessionCookie)))
      )
        return reply.redirect(signInUrl(req.url), 302);
    }
    return reply.send(shellPage());
  });

  server.get('/api/tab/record', async (req, reply) => {
    secure(reply);
    const query = req.query as LinkParams;
    const crn = parseCrn(query.crn) ?? '';
    const who = await identify(req.headers.authorization, req.headers.cookie, query);
    if ('refused' in who) {
      const [title, message] = refusals[who.refused];
      const status = { signIn: 401, notConfigured: 503, expired: 403, invalid: 403, denied: 403 }[
        who.refused
      ];
      // With sign-in configured the page's script can send the person to sign in and back.
      const back = options.sessions && who.refused === 'signIn' ? { signIn: signInUrl(pageOf(req.url)) } : {};
      return reply.status(status).send({ error: 'forbidden', title, message, ...back });
    }
    const person = crn ? await viewerOfCase(db, who.viewer, crn) : undefined;
    if (!person) {
      logger.info({ route: 'tab.record', outcome: 'denied' }, 'case record refused');
      const [title, message] = refusals.denied;
      return reply.status(403).send({ error: 'forbidden', title, message });
    }
    const body = await payload(db, crn, person);
    // Every view is audited before the record leaves: no audit row, no record.
    await audit(
      db,
      { staffCode: person.code, surface: who.surface },
      { action: 'record.viewed', subjectType: 'case', subjectId: crn, crn, detail: { via: who.via } },
    );
    return reply.send(body);
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

  /**
   * Who is asking. A Teams SSO token says it inside Teams. Otherwise, with sign-in configured, the
   * session does, and a link is only checked as a pointer (genuine, unexpired, for this CRN); who
   * may see the case is then the signed-in person's business, not the link's. Without sign-in,
   * production opens nothing by link, and development trusts the link alone.
   */
  async function identify(
    authorization: string | undefined,
    cookies: string | undefined,
    query: LinkParams,
  ): Promise<Identified | { refused: Refusal }> {
    const token = /^Bearer (\S+)$/i.exec(authorization ?? '')?.[1];
    if (token) {
      const signedIn = options.sso ? await options.sso(token).catch(() => undefined) : undefined;
      return signedIn
        ? { viewer: { by: 'aad', aadObjectId: signedIn.aadObjectId }, surface: 'msteams', via: 'sso' }
        : { refused: 'signIn' };
    }
    if (options.sessions) {
      const session = await options.sessions.openSession(readCookie(cookies, sessionCookie));
      if (!session) return { refused: 'signIn' };
      if (query.sig !== undefined) {
        const link = linkFor(query);
        if (!link.ok) return { refused: link.refused };
      }
      return { viewer: { by: 'code', staffCode: session.staffCode }, surface: 'api', via: 'session' };
    }
    if (query.sig === undefined) return { refused: 'signIn' };
    if (config.production) return { refused: 'notConfigured' };
    const link = linkFor(query);
    return link.ok
      ? { viewer: { by: 'code', staffCode: link.staffCode }, surface: 'api', via: 'link' }
      : { refused: link.refused };
  }

  function linkFor(query: LinkParams): { ok: true; staffCode: string } | { ok: false; refused: Refusal } {
    const check = checkLink(query);
    if (!check.ok) return { ok: false, refused: check.reason };
    // The link is for one case: its CRN must be the one asked for.
    const asked = typeof query.crn === 'string' ? query.crn.trim().toUpperCase() : '';
    return check.crn === asked ? { ok: true, staffCode: check.staffCode } : { ok: false, refused: 'invalid' };
  }
}

/** The page address for an API request's query (`/api/tab/record?…` → `/tab/record?…`). */
function pageOf(apiUrl: string): string {
  const at = apiUrl.indexOf('?');
  return `${recordPagePath}${at >= 0 ? apiUrl.slice(at) : ''}`;
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
