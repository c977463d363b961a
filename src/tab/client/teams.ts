import { app, authentication } from '@microsoft/teams-js';

/**
 * Inside Teams: initialise teams-js, read the context (a deep link's sub-page id can carry the
 * CRN) and get an SSO token for our server. `initialize()` waits a minute inside a non-Teams
 * iframe, so it races a short timeout; `getContext()` only runs after it settled.
 */
export async function teamsSignIn(timeoutMs = 2500): Promise<{ token: string; crn?: string } | undefined> {
  const timeout = new Promise<'timeout'>((done) => setTimeout(() => done('timeout'), timeoutMs));
  const initialised = await Promise.race([app.initialize().then(() => 'ok' as const), timeout]).catch(
    () => 'failed' as const,
  );
  if (initialised !== 'ok') return undefined;
  const context = await app.getContext();
  const token = await authentication.getAuthToken();
  const crn = context.page.subPageId || undefined;
  return { token, ...(crn ? { crn } : {}) };
}
