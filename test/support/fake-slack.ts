import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { closeServer, listenLocally } from './local-http.ts';

/** One request the fake received: a Web API method call or a post to a response_url. */
export type SlackCall = {
  method: string;
  body: Record<string, unknown>;
  /** Milliseconds since the epoch when the request arrived. */
  at: number;
  /** The request path, e.g. `/respond/r1`: tells replies to different response_urls apart. */
  path: string;
};

type Failure =
  | { kind: 'ratelimited'; retryAfterSeconds: number }
  | { kind: 'error'; error: string }
  | { kind: 'http'; status: number };

type Rule = { method: string; channel?: string; times: number; failure: Failure };

/** Fields the Web API client sends JSON-encoded inside a form body. */
const jsonFields = new Set(['blocks', 'attachments', 'view', 'metadata']);

/**
 * A local stand-in for the Slack Web API (and for response_url): records every call and answers
 * like Slack, or fails the way a test asks (429 with Retry-After, `channel_not_found`, a 500).
 */
export class FakeSlack {
  readonly calls: SlackCall[] = [];
  private server: Server | undefined;
  private rules: Rule[] = [];
  private tsCounter = 0;
  url = '';
  /** Where `apps.connections.open` sends a Socket Mode client (a local WebSocket server). */
  socketUrl = '';

  /** The base URL to give as SLACK_API_URL. */
  get apiUrl(): string {
    return `${this.url}/api/`;
  }

  /** A response_url for an interaction or command; what is posted to it is recorded as method `respond`. */
  responseUrl(id = 'r1'): string {
    return `${this.url}/respond/${id}`;
  }

  async start(): Promise<this> {
    const server = createServer((req, res) => {
      this.handle(req, res).catch(() => {
        res.statusCode = 500;
        res.end();
      });
    });
    this.url = await listenLocally(server);
    this.server = server;
    return this;
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    await closeServer(server);
  }

  /** Makes the next `times` calls of `method` (optionally to one channel) fail as given. */
  fail(method: string, failure: Failure, options: { channel?: string; times?: number } = {}): void {
    this.rules.push({ method, channel: options.channel, times: options.times ?? 1, failure });
  }

  /** Calls of one method, optionally to one channel. */
  of(method: string, channel?: string): SlackCall[] {
    return this.calls.filter((c) => c.method === method && (!channel || c.body.channel === channel));
  }

  reset(): void {
    this.calls.length = 0;
    this.rules = [];
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const raw = await readBody(req);
    const path = new URL(req.url ?? '/', 'http://fake').pathname;
    const body = parseBody(raw, String(req.headers['content-type'] ?? ''));
    const method = path.startsWith('/api/') ? path.slice(5) : path.startsWith('/respond/') ? 'respond' : path;
    const call: SlackCall = { method, body, at: Date.now(), path };
    this.calls.push(call);

    const rule = this.rules.find(
      (r) => r.times > 0 && r.method === method && (!r.channel || r.channel === body.channel),
    );
    if (rule) {
      rule.times -= 1;
      const f = rule.failure;
      if (f.kind === 'ratelimited') {
        return send(
          res,
          429,
          { ok: false, error: 'ratelimited' },
          { 'retry-after': String(f.retryAfterSeconds) },
        );
      }
      if (f.kind === 'http') return send(res, f.status, { ok: false });
      return send(res, 200, { ok: false, error: f.error });
    }
    send(res, 200, this.answer(method, body));
  }

  private answer(method: string, body: Record<string, unknown>): Record<string, unknown> {
    const channel = typeof body.channel === 'string' ? body.channel : undefined;
    switch (method) {
      case 'chat.postMessage': {
        const ts = `1800000000.${String(++this.tsCounter).padStart(6, '0')}`;
        // Slack answers a post to a user id with the direct-message channel.
        const dm = channel && /^[UW]/.test(channel) ? `D${channel.slice(1)}` : channel;
        return { ok: true, channel: dm, ts, message: { ts, text: body.text } };
      }
      case 'chat.update':
        return { ok: true, channel, ts: body.ts };
      case 'chat.getPermalink':
        return {
          ok: true,
          permalink: `https://fake.slack.com/archives/${channel}/p${String(body.message_ts).replace('.', '')}`,
        };
      case 'views.open':
      case 'views.update':
        return { ok: true, view: { id: 'VFAKE' } };
      case 'apps.connections.open':
        return this.socketUrl ? { ok: true, url: this.socketUrl } : { ok: false, error: 'invalid_auth' };
      case 'auth.test':
        return { ok: true, user_id: 'UBOT', bot_id: 'BBOT', team_id: 'TFAKE' };
      case 'respond':
        return { ok: true };
      default:
        return { ok: true };
    }
  }
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let data = '';
    req.setEncoding('utf8');
    req.on('data', (chunk) => {
      data += chunk;
    });
    req.on('end', () => resolve(data));
    req.on('error', reject);
  });
}

function parseBody(raw: string, contentType: string): Record<string, unknown> {
  if (!raw) return {};
  if (contentType.includes('application/json')) return JSON.parse(raw) as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const [key, value] of new URLSearchParams(raw)) {
    out[key] = jsonFields.has(key) ? JSON.parse(value) : value;
  }
  return out;
}

function send(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
}
