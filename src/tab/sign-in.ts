import type { FastifyInstance, FastifyReply } from 'fastify';
import * as client from 'openid-client';
import type { Database } from '../../db/client.ts';
import type { Config } from '../config.ts';
import { staffByAadObjectId } from '../directory/index.ts';
import type { Logger } from '../logger.ts';
import { refusalPage } from './page.ts';
import {
  type CookieSealer,
  cookieHeader,
  readCookie,
  safeReturnTo,
  sessionCookie,
  sessionTtlSeconds,
  signInCookie,
  signInTtlSeconds,
} from './session.ts';

export type OidcSettings = NonNullable<Config['oidc']>;

export type SignInOptions = {
  db: Database;
  oidc: OidcSettings;
  publicUrl: string;
  /** Whether cookies carry `Secure` (everywhere but development). */
  secureCookies: boolean;
  sealer: CookieSealer;
  logger: Logger;
  /** Sets the page's security headers (the record page's CSP). */
  harden: (reply: FastifyReply) => FastifyReply;
};

export const signInPath = '/auth/sign-in';
export const callbackPath = '/auth/callback';
export const signOutPath = '/auth/sign-out';

/** The sign-in address that comes back to `returnTo` (a local path) afterwards. */
export function signInUrl(returnTo: string): string {
  return `${signInPath}?${new URLSearchParams({ returnTo: safeReturnTo(returnTo) })}`;
}

/**
 * OpenID Connect sign-in with openid-client: authorization code flow with PKCE, state and nonce
 * kept in a short-lived encrypted cookie; the provider's `oid` claim (Entra ID's object id) is
 * matched to staff's Teams `aadObjectId`, and an encrypted session cookie names the staff code.
 */
export function registerSignInRoutes(server: FastifyInstance, options: SignInOptions): void {
  const { oidc, sealer, logger, harden } = options;
  const redirectUri = `${options.publicUrl}${callbackPath}`;
  let discovered: Promise<client.Configuration> | undefined;
  // Discovered on first use (not at start-up), and again after a failure: the provider may be down.
  const provider = () => {
    discovered ??= client
      .discovery(
        new URL(oidc.issuer),
        oidc.clientId,
        oidc.clientSecret,
        undefined,
        oidc.allowHttp ? { execute: [client.allowInsecureRequests] } : undefined,
      )
      .catch((error: unknown) => {
        discovered = undefined;
        throw error;
      });
    return discovered;
  };
  const cookie = (name: string, value: string, maxAge: number, path: string) =>
    cookieHeader(name, value, { maxAge, path, secure: options.secureCookies });
  const page = (reply: FastifyReply, status: number, title: string, detail: string) =>
    harden(reply).status(status).type('text/html; charset=utf-8').send(refusalPage(title, detail));

  server.get(signInPath, async (req, reply) => {
    const returnTo = safeReturnTo((req.query as { returnTo?: unknown }).returnTo);
    const configuration = await provider().catch(() => undefined);
    if (!configuration) {
      logger.warn({ route: 'auth.sign-in', outcome: 'provider unavailable' }, 'sign-in provider unavailable');
      return page(
        reply,
        503,
        'Sign-in is unavailable',
        'The sign-in service did not answer; try again shortly.',
      );
    }
    const verifier = client.randomPKCECodeVerifier();
    const state = client.randomState();
    const nonce = client.randomNonce();
    const url = client.buildAuthorizationUrl(configuration, {
      redirect_uri: redirectUri,
      scope: 'openid profile email',
      code_challenge: await client.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
      state,
      nonce,
    });
    const transaction = await sealer.sealSignIn({ verifier, state, nonce, returnTo });
    return harden(reply)
      .header('set-cookie', cookie(signInCookie, transaction, signInTtlSeconds, callbackPath))
      .redirect(url.href, 302);
  });

  server.get(callbackPath, async (req, reply) => {
    const transaction = await sealer.openSignIn(readCookie(req.headers.cookie, signInCookie));
    const clearTransaction = cookie(signInCookie, '', 0, callbackPath);
    if (!transaction) {
      reply.header('set-cookie', clearTransaction);
      return page(
        reply,
        400,
        'Sign-in did not complete',
        'It took too long or was started elsewhere: open your link again.',
      );
    }
    let oid: unknown;
    try {
      const configuration = await provider();
      const tokens = await client.authorizationCodeGrant(configuration, new URL(req.url, options.publicUrl), {
        pkceCodeVerifier: transaction.verifier,
        expectedState: transaction.state,
        expectedNonce: transaction.nonce,
        idTokenExpected: true,
      });
      oid = tokens.claims()?.oid;
    } catch (error) {
      // The library's error code only: the messages can carry claims.
      const code = (error as { code?: unknown }).code;
      logger.warn({ route: 'auth.callback', outcome: 'failed', code }, 'sign-in failed');
      reply.header('set-cookie', clearTransaction);
      return page(reply, 400, 'Sign-in did not complete', 'Open your link again to sign in once more.');
    }
    const person = typeof oid === 'string' ? await staffByAadObjectId(options.db, oid) : undefined;
    if (!person?.active) {
      logger.info({ route: 'auth.callback', outcome: 'not in directory' }, 'sign-in refused');
      reply.header('set-cookie', clearTransaction);
      return page(
        reply,
        403,
        'You are not set up to use Oversight',
        'You signed in, but the oversight directory has no active member of staff for your account. Ask your team lead.',
      );
    }
    const session = await sealer.sealSession({ staffCode: person.code });
    return harden(reply)
      .header('set-cookie', [clearTransaction, cookie(sessionCookie, session, sessionTtlSeconds, '/')])
      .redirect(transaction.returnTo, 303);
  });

  server.post(signOutPath, async (_req, reply) => {
    reply.header('set-cookie', cookie(sessionCookie, '', 0, '/'));
    return page(reply, 200, 'You are signed out', 'Open a link from the bot to sign in again.');
  });
}
