import {
  createLocalJWKSet,
  createRemoteJWKSet,
  type JSONWebKeySet,
  type JWK,
  type JWTVerifyGetKey,
  jwtVerify,
} from 'jose';

/**
 * Teams tab single sign-on: the tab asks Teams for an Entra ID token (`getAuthToken`) and sends it
 * as a bearer token. jose checks its RS256 signature against the tenant's published keys (cached,
 * refetched for an unknown key id), its audience (our app), lifetime, and then we check issuer and
 * tenant; `oid` is the person's `aadObjectId`. Only when the bot has credentials: without them
 * there is no app for the token to be for.
 */

export type SsoOptions = {
  appId: string;
  tenantId?: string;
  /** The public URL: the tab's SSO resource is `api://<host>/<appId>`. */
  publicUrl: string;
  /** Fetches the signing keys (tests hand in their own); by default the tenant's key set from Entra. */
  fetchKeys?: () => Promise<JWK[]>;
  now?: () => Date;
};

export type SsoVerifier = (token: string) => Promise<{ aadObjectId: string } | undefined>;

const skewSeconds = 300;

/** Entra's key set for the tenant (or the common one when no tenant is configured). */
function entraKeys(tenantId: string | undefined): JWTVerifyGetKey {
  const url = new URL(`https://login.microsoftonline.com/${tenantId ?? 'common'}/discovery/v2.0/keys`);
  return createRemoteJWKSet(url, { timeoutDuration: 5000, cacheMaxAge: 3_600_000 });
}

/** Keys from `fetchKeys`, cached for an hour and refetched once for an unknown key id. */
function fetchedKeys(fetchKeys: () => Promise<JWK[]>, now: () => Date): JWTVerifyGetKey {
  let cache: { keys: JWTVerifyGetKey; ids: Set<string | undefined>; at: number } | undefined;
  return async (header, token) => {
    const fresh = cache && now().getTime() - cache.at < 3_600_000 && cache.ids.has(header.kid);
    if (!fresh) {
      const keys: JSONWebKeySet = { keys: await fetchKeys() };
      cache = {
        keys: createLocalJWKSet(keys),
        ids: new Set(keys.keys.map((k) => k.kid)),
        at: now().getTime(),
      };
    }
    return (cache as NonNullable<typeof cache>).keys(header, token);
  };
}

/** Makes a verifier of Teams SSO tokens for our app (and tenant, when configured). */
export function createSsoVerifier(options: SsoOptions): SsoVerifier {
  const now = options.now ?? (() => new Date());
  const keys = options.fetchKeys ? fetchedKeys(options.fetchKeys, now) : entraKeys(options.tenantId);
  const audience = [options.appId, `api://${new URL(options.publicUrl).host}/${options.appId}`];

  return async (token) => {
    const verified = await jwtVerify(token, keys, {
      algorithms: ['RS256'],
      audience,
      clockTolerance: skewSeconds,
      currentDate: now(),
      requiredClaims: ['exp', 'tid', 'iss'],
    }).catch(() => undefined);
    if (!verified) return undefined;
    const claims = verified.payload;
    const tid = typeof claims.tid === 'string' ? claims.tid : '';
    if (!tid || (options.tenantId && tid !== options.tenantId)) return undefined;
    // Entra issues v1 and v2 tokens; either way the issuer names the token's own tenant.
    const issuers = [`https://login.microsoftonline.com/${tid}/v2.0`, `https://sts.windows.net/${tid}/`];
    if (typeof claims.iss !== 'string' || !issuers.includes(claims.iss)) return undefined;
    return typeof claims.oid === 'string' ? { aadObjectId: claims.oid } : undefined;
  };
}
