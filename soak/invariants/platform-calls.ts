import type { Exchange } from '../chaos-proxy.ts';

/**
 * A message a platform accepted: where it went, its text (Slack) or summary (Teams), its id, when,
 * and for a notice the request its buttons carry (a closed notice has none).
 */
export type Post = {
  at: number;
  channel: string;
  thread: string | null;
  text: string;
  id: string;
  requestId: string | null;
};

const uuid = /"(?:value|requestId)":"([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})"/;

const json = (text: string): Record<string, unknown> => {
  try {
    return JSON.parse(text) as Record<string, unknown>;
  } catch {
    return {};
  }
};

/** Slack `chat.postMessage` calls answered `ok`: channel, thread, text and the message's ts. */
export function slackPosts(exchanges: Exchange[]): Post[] {
  return exchanges
    .filter((e) => e.path === '/api/chat.postMessage' && e.status === 200 && json(e.response).ok === true)
    .map((e) => {
      const form = new URLSearchParams(e.request);
      return {
        at: e.at,
        channel: form.get('channel') ?? '',
        thread: form.get('thread_ts'),
        text: form.get('text') ?? '',
        id: String(json(e.response).ts ?? ''),
        requestId: uuid.exec(form.get('blocks') ?? '')?.[1] ?? null,
      };
    });
}

/**
 * New activities the Bot Connector accepted (not replies to a person's message, not updates),
 * with a channel thread split off its conversation id; and the 1:1 chats it opened, by the
 * person's Entra object id.
 */
export function teamsPosts(exchanges: Exchange[]): { posts: Post[]; chats: Map<string, string> } {
  const posts: Post[] = [];
  const chats = new Map<string, string>();
  for (const e of exchanges) {
    if (e.method !== 'POST' || e.status >= 300) continue;
    const path = e.path.replace(/^.*?(\/v3\/)/, '$1');
    if (path === '/v3/conversations') {
      const members = (json(e.request).members ?? []) as Array<{ aadObjectId?: string }>;
      chats.set(String(json(e.response).id ?? ''), members[0]?.aadObjectId ?? '');
      continue;
    }
    const m = /^\/v3\/conversations\/(.+)\/activities$/.exec(path);
    if (!m) continue;
    const [channel, thread] = m[1]!.split(';messageid=');
    posts.push({
      at: e.at,
      channel: channel!,
      thread: thread ?? null,
      text: String(json(e.request).summary ?? ''),
      id: String(json(e.response).id ?? ''),
      requestId: uuid.exec(e.request)?.[1] ?? null,
    });
  }
  return { posts, chats };
}
