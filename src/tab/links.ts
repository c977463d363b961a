import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Config } from '../config.ts';

/**
 * Signed, expiring links to the case record page: HMAC-SHA256 over the CRN, the staff code it was
 * made for and its expiry, with `LINK_SIGNING_SECRET`. The bot makes one per person; the page
 * still checks at every view that the person is staff of the case's team.
 */

export type LinkConfig = Pick<Config, 'publicUrl' | 'linkSigningSecret' | 'recordLinkTtlMs' | 'production'>;
export type LinkClaims = { crn: string; staffCode: string; expiresAt: Date };
export type LinkParams = { crn?: unknown; staff?: unknown; exp?: unknown; sig?: unknown };
export type LinkCheck =
  | { ok: true; crn: string; staffCode: string }
  | { ok: false; reason: 'expired' | 'invalid' };

export const recordPagePath = '/tab/record';

/** config.ts's last-resort key when no secret is set: it is in our source, so it never signs links in production. */
const developmentSecret = 'dev-only-link-secret';

/** Whether links can be trusted in this deployment (not with the public development key in production). */
export function linksUsable(config: Pick<Config, 'linkSigningSecret' | 'production'>): boolean {
  return !(config.production && config.linkSigningSecret === developmentSecret);
}

function signature(secret: string, crn: string, staffCode: string, exp: number): string {
  // Newlines cannot occur in a CRN, a staff code or a number, so the fields cannot be shifted.
  return createHmac('sha256', secret).update(`v1\n${crn}\n${staffCode}\n${exp}`).digest('base64url');
}

/** Signs a link for one member of staff to one case's record. */
export function signRecordLink(
  config: Pick<Config, 'publicUrl' | 'linkSigningSecret'>,
  claims: LinkClaims,
): string {
  const crn = claims.crn.trim().toUpperCase();
  const exp = Math.floor(claims.expiresAt.getTime() / 1000);
  const query = new URLSearchParams({
    crn,
    staff: claims.staffCode,
    exp: String(exp),
    sig: signature(config.linkSigningSecret, crn, claims.staffCode, exp),
  });
  return `${config.publicUrl}${recordPagePath}?${query}`;
}

/** A link valid for the configured time from `now`. */
export function recordLink(
  config: LinkConfig,
  subject: { crn: string; staffCode: string },
  now = new Date(),
): { url: string; expiresAt: Date } {
  const expiresAt = new Date(now.getTime() + config.recordLinkTtlMs);
  return { url: signRecordLink(config, { ...subject, expiresAt }), expiresAt };
}

/** Checks a link's signature and expiry (not yet who may see the case: see access.ts). */
export function verifyRecordLink(secret: string, params: LinkParams, now = new Date()): LinkCheck {
  const { crn, staff, exp, sig } = params;
  if (
    typeof crn !== 'string' ||
    typeof staff !== 'string' ||
    typeof exp !== 'string' ||
    typeof sig !== 'string'
  ) {
    return { ok: false, reason: 'invalid' };
  }
  if (!/^\d{1,12}$/.test(exp)) return { ok: false, reason: 'invalid' };
  const expected = Buffer.from(signature(secret, crn, staff, Number(exp)));
  const given = Buffer.from(sig);
  if (given.length !== expected.length || !timingSafeEqual(given, expected))
    return { ok: false, reason: 'invalid' };
  // Checked after the signature, so a forged link is never told it merely expired.
  if (Number(exp) * 1000 <= now.getTime()) return { ok: false, reason: 'expired' };
  return { ok: true, crn, staffCode: staff };
}
