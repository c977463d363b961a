import type { RecordPayload } from '../payload.ts';
import { renderCrnForm, renderRecord, renderRefusal } from './render.ts';

/**
 * The case record page. Opened from a signed link it asks the server with the link's parameters;
 * inside Teams it signs in with teams-js SSO instead (loaded only there, see bundle.ts).
 */

const root = document.getElementById('app') as HTMLElement;
const params = new URLSearchParams(window.location.search);
// A plain browser tab has no parent frame and no opener: teams-js would only reject, so skip it.
const standalone = window.self === window.top && !window.opener;

async function show(crn: string, headers: Record<string, string>): Promise<void> {
  const query = new URLSearchParams(params);
  query.set('crn', crn);
  // same-origin: the sign-in session cookie goes along (the server decides what it is worth).
  const response = await fetch(`/api/tab/record?${query}`, { headers, credentials: 'same-origin' });
  const body = (await response.json().catch(() => ({}))) as Partial<RecordPayload> & {
    title?: string;
    message?: string;
    signIn?: string;
  };
  // In a plain browser, sign in and come back; the provider's pages cannot be framed inside Teams.
  if (response.status === 401 && standalone && body.signIn?.startsWith('/auth/')) {
    window.location.assign(body.signIn);
    return;
  }
  if (!response.ok || !body.record) {
    renderRefusal(
      root,
      body.title ?? 'The record cannot be shown',
      body.message ?? `The server answered ${response.status}.`,
    );
    return;
  }
  renderRecord(root, body as RecordPayload);
}

async function load(): Promise<void> {
  if (params.has('sig')) return show(params.get('crn') ?? '', {});
  const signIn = standalone
    ? undefined
    : await (await import('./teams.ts')).teamsSignIn().catch(() => undefined);
  if (!signIn) {
    renderRefusal(
      root,
      'Open this page from a link',
      'Use the "Case record" button on an oversight notice: the bot gives you a link that works for you.',
    );
    return;
  }
  const headers = { authorization: `Bearer ${signIn.token}` };
  const crn = params.get('crn') || signIn.crn;
  // The personal tab opens without a case: ask for one (the server decides whether it may be shown).
  if (!crn) return renderCrnForm(root, (typed) => void show(typed, headers));
  return show(crn, headers);
}

load().catch(() =>
  renderRefusal(root, 'The record cannot be shown', 'Something went wrong loading it; try again.'),
);
