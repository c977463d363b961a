import { createPublicKey, type JsonWebKey, verify } from 'node:crypto';

/**
 * Teams tab single sign-on: the tab asks Teams for an Entra ID token (`getAuthToken`) and sends it
 * as a bearer token. We check its RS256 signature against Entra's published keys, its audience
 * (our app), issuer and tenant, and its lifetime; then `oid` is the person's `aadObjectId`.
 * Only when the bot has credentials: without them there is no app for the token to be for.
 */

export type SsoOptions = {
  appId: string;
  tenantId?: string;
  /** The public URL: the tab's SSO resource is `api://<host>/<appId>`. */
  publicUrl: string;
  /** Fetches Entra's signing keys (tests hand in their own). */
  fetchKeys?: () => Promise<JsonWebKey[]>;
  now?: () => Date;
};

export type SsoVerifier = (token: string) => Promise<{ aadObjectId: string } | undefined>;

const keysUrl = 'https://login.microsoftonline.com/common/discovery/v2.0/keys';
const skewSeconds = 300;

async function fetchEntraKeys(): Promise<JsonWebKey[]> {
  const response = await fetch(keysUrl, { signal: AbortSignal.timeout(5000) });
  if (!response.ok) throw new Error(`Entra keys: HTTP ${response.status}`);
  const body = (await response.json()) as { keys?: JsonWebKey[] };
  return body.keys ?? [];
}

const decode = (part: string): Record<string, unknown> | undefined => {
  try {
    const value = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
    return value && typeof value === 'object' ? value : undefined;
  } catch {
    return undefined;
  }
};

/** Makes a verifier that caches Entra's keys for an hour (and refetches once for an unknown key id). */
export function createSsoVerifier(options: SsoOptions): SsoVerifier {
  const fetchKeys = options.fetchKeys ?? fetchEntraKeys;
  const now = options.now ?? (() => new Date());
  const audiences = [options.appId, `api://${new URL(options.publicUrl).host}/${options.appId}`];
  let cache: { keys: JsonWebKey[]; at: number } | undefined;

  async function keyFor(kid: string): Promise<JsonWebKey | undefined> {
    const fresh = cache && now().getTime() - cache.at < 3_600_000;
    let key = fresh ? cache?.keys.find((k) => k.kid === kid) : undefined;
    if (!key) {
      cache = { keys: await fetchKeys(), at: now().getTime() };
      key = cache.keys.find((k) => k.kid === kid);
    }
    return key;
  }

  return async (token) => {
    const parts = token.split('.');
    if (parts.length !== 3) return undefined;
    const [h, p, s] = parts as [string, string, string];
    const header = decode(h);
    const claims = decode(p);
    if (!header || !claims || header.alg !== 'RS256' || typeof header.kid !== 'string') return undefined;
    const jwk = await keyFor(header.kid);
    if (!jwk) return undefined;
    const valid = verify(
      'RSA-SHA256',
      Buffer.from(`${h}.${p}`),
      createPublicKey({ key: jwk, format: 'jwk' }),
      Buffer.from(s, 'base64url'),
    );
    if (!valid) return undefined;
    const seconds = now().getTime() / 1000;
    if (typeof claims.exp !== 'number' || claims.exp + skewSeconds < seconds) return undefined;
    if (typeof claims.nbf === 'number' && claims.nbf - skewSeconds > seconds) return undefined;
    if (typeof claims.aud !== 'string' || !audiences.includes(claims.aud)) return undefined;
    const tid = typeof claims.tid === 'string' ? claims.tid : '';
    if (!tid || (options.tenantId && tid !== options.tenantId)) return undefined;
    const issuers = [`https://login.microsoftonline.com/${tid}/v2.0`, `https://sts.windows.net/${tid}/`];
    if (typeof claims.iss !== 'string' || !issuers.includes(claims.iss)) return undefined;
    return typeof claims.oid === 'string' ? { aadObjectId: claims.oid } : undefined;
  };
}
