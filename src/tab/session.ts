import { createHash } from 'node:crypto';
import { EncryptJWT, jwtDecrypt } from 'jose';

/**
 * Encrypted cookies for sign-in: the session (who is signed in) and, during a sign-in, the
 * transaction (PKCE verifier, state, nonce, where to return). Each is a JWE (`dir`, A256GCM) made
 * with jose under a key derived from SESSION_SECRET, so a cookie can be neither read nor altered
 * in the browser; a tampered, expired or foreign cookie simply does not open.
 */

export const sessionCookie = 'oversight_session';
export const signInCookie = 'oversight_sign_in';
/** How long a sign-in lasts before the provider is asked again (a working day). */
export const sessionTtlSeconds = 8 * 3600;
/** How long someone has to finish signing in at the provider. */
export const signInTtlSeconds = 10 * 60;

export type Session = { staffCode: string };
export type SignInTransaction = { verifier: string; state: string; nonce: string; returnTo: string };

/** Seals and opens the sign-in cookies with one secret; `purpose` keeps a session from passing as a transaction. */
export function createCookieSealer(secret: string, now: () => Date) {
  const key = createHash('sha256').update(`oversight cookies v1\n${secret}`).digest();
  const seconds = () => Math.floor(now().getTime() / 1000);

  async function seal(purpose: string, claims: Record<string, string>, ttlSeconds: number): Promise<string> {
    return new EncryptJWT({ ...claims, purpose })
      .setProtectedHeader({ alg: 'dir', enc: 'A256GCM' })
      .setIssuedAt(seconds())
      .setExpirationTime(seconds() + ttlSeconds)
      .encrypt(key);
  }

  async function open(
    purpose: string,
    value: string | undefined,
  ): Promise<Record<string, unknown> | undefined> {
    if (!value) return undefined;
    try {
      const { payload } = await jwtDecrypt(value, key, { currentDate: now(), clockTolerance: 5 });
      return payload.purpose === purpose ? payload : undefined;
    } catch {
      return undefined; // tampered, expired, or sealed with another secret
    }
  }

  return {
    sealSession: (session: Session) => seal('session', session, sessionTtlSeconds),
    async openSession(value: string | undefined): Promise<Session | undefined> {
      const claims = await open('session', value);
      return typeof claims?.staffCode === 'string' ? { staffCode: claims.staffCode } : undefined;
    },
    sealSignIn: (transaction: SignInTransaction) => seal('sign-in', transaction, signInTtlSeconds),
    async openSignIn(value: string | undefined): Promise<SignInTransaction | undefined> {
      const c = await open('sign-in', value);
      if (!c) return undefined;
      const { verifier, state, nonce, returnTo } = c;
      return typeof verifier === 'string' &&
        typeof state === 'string' &&
        typeof nonce === 'string' &&
        typeof returnTo === 'string'
        ? { verifier, state, nonce, returnTo }
        : undefined;
    },
  };
}

export type CookieSealer = ReturnType<typeof createCookieSealer>;

/** One cookie's value from a `Cookie` header (names here are ours and plain; values are JWEs, which need no decoding). */
export function readCookie(header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const at = part.indexOf('=');
    if (at > 0 && part.slice(0, at).trim() === name) return part.slice(at + 1).trim();
  }
  return undefined;
}

/** A `Set-Cookie` value: HttpOnly and SameSite=Lax always, Secure unless in development over http. */
export function cookieHeader(
  name: string,
  value: string,
  options: { maxAge: number; path: string; secure: boolean },
): string {
  return [
    `${name}=${value}`,
    `Path=${options.path}`,
    `Max-Age=${options.maxAge}`,
    'HttpOnly',
    'SameSite=Lax',
    ...(options.secure ? ['Secure'] : []),
  ].join('; ');
}

/**
 * Where to go after signing in: only a path on this site. Anything that could leave it (`//host`,
 * `/\host`, a scheme, control characters) becomes the record page's start.
 */
export function safeReturnTo(value: unknown, fallback = '/tab/record'): string {
  if (typeof value !== 'string' || value.length > 2000) return fallback;
  if (!value.startsWith('/') || value.startsWith('//') || value.startsWith('/\\')) return fallback;
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is refused
  if (/[\u0000-\u001f\u007f\\]/.test(value)) return fallback;
  // Resolved against a placeholder origin: it must still be on that origin.
  const resolved = new URL(value, 'http://this.invalid');
  return resolved.origin === 'http://this.invalid' ? `${resolved.pathname}${resolved.search}` : fallback;
}
