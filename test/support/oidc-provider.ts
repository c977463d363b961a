import { createServer, type RequestListener, type Server } from 'node:http';
import { exportJWK, generateKeyPair } from 'jose';
import Provider from 'oidc-provider';
import { closeServer, listenLocally } from './local-http.ts';

/** A person the local provider knows: log in with `login` (any password) to get these claims. */
export type LocalAccount = { oid: string; name: string; email: string };

export type LocalOidcProvider = {
  issuer: string;
  clientId: string;
  clientSecret: string;
  close(): Promise<void>;
};

/**
 * A real OpenID Connect provider (oidc-provider, a certified implementation) on loopback, with one
 * confidential client and a few accounts. Its development login and consent pages are what a
 * browser test signs in through: any password is accepted for a known login.
 */
export async function startLocalOidcProvider(options: {
  redirectUri: string;
  accounts: Record<string, LocalAccount>;
}): Promise<LocalOidcProvider> {
  const clientId = 'oversight-test';
  const clientSecret = 'test-client-secret-that-is-long-enough-0123456789';
  const { privateKey } = await generateKeyPair('RS256', { extractable: true });
  const signingKey = { ...(await exportJWK(privateKey)), alg: 'RS256', use: 'sig', kid: 'test-key' };
  // The issuer needs the port, and the port a server: listen first, hand requests over after.
  let handle: RequestListener | undefined;
  const server: Server = createServer((req, res) => handle?.(req, res));
  const issuer = await listenLocally(server);
  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: clientId,
        client_secret: clientSecret,
        redirect_uris: [options.redirectUri],
        grant_types: ['authorization_code'],
        response_types: ['code'],
        token_endpoint_auth_method: 'client_secret_post',
      },
    ],
    jwks: { keys: [signingKey] },
    // Like Entra ID, put the person's claims in the ID token itself.
    conformIdTokenClaims: false,
    claims: { openid: ['sub', 'oid'], profile: ['name'], email: ['email'] },
    pkce: { required: () => true },
    ttl: { Interaction: 600, Session: 3600, Grant: 3600, AccessToken: 600, IdToken: 600 },
    cookies: { keys: ['local-provider-cookie-key-for-tests-only'] },
    findAccount: async (_ctx: unknown, id: string) => {
      const account = options.accounts[id];
      return account ? { accountId: id, claims: async () => ({ sub: id, ...account }) } : undefined;
    },
  });
  handle = provider.callback();
  return { issuer, clientId, clientSecret, close: () => closeServer(server) };
}
