import { createServer, type IncomingMessage, type Server } from 'node:http';
import { closeServer, listenLocally } from './local-http.ts';

/** One call the bot made to the Bot Connector. */
export type ConnectorCall = {
  method: string;
  /** `send` (new post), `reply` (to an activity), `update` (PUT), `create` (open a conversation). */
  kind: 'send' | 'reply' | 'update' | 'create' | 'other';
  conversationId?: string;
  activityId?: string;
  authorization?: string;
  // biome-ignore lint/suspicious/noExplicitAny: activities are free-form JSON; tests pick what they check.
  body: any;
};

type Failure = { status: number; headers?: Record<string, string>; body?: unknown };

/**
 * A local stand-in of the Bot Connector REST API (the part a bot calls at its `serviceUrl`):
 * records every call and answers like Teams does, with ids. Tests point activities' `serviceUrl`
 * (and the directory's) at `serviceUrl`, and can make the next calls fail.
 */
export class FakeConnector {
  readonly calls: ConnectorCall[] = [];
  private server: Server | undefined;
  private next = 1;
  private readonly failures: Failure[] = [];
  private readonly waiters: Array<{
    match: (c: ConnectorCall) => boolean;
    done: (c: ConnectorCall) => void;
  }> = [];
  url = '';

  /** Like Teams' regional service URLs, with a path prefix. */
  get serviceUrl(): string {
    return `${this.url}/teams/`;
  }

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      void this.handle(req).then(({ status, headers, body }) => {
        res.writeHead(status, { 'content-type': 'application/json', ...headers });
        res.end(JSON.stringify(body ?? {}));
      });
    });
    this.url = await listenLocally(this.server);
    return this;
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    await closeServer(server);
  }

  /** The next `count` calls answer with this status (e.g. 429 with Retry-After, or 404). */
  failNext(failure: Failure, count = 1): void {
    for (let i = 0; i < count; i++) this.failures.push(failure);
  }

  of(kind: ConnectorCall['kind']): ConnectorCall[] {
    return this.calls.filter((c) => c.kind === kind);
  }

  /** Resolves with the first call (already made or yet to come) that matches. */
  waitFor(match: (c: ConnectorCall) => boolean, timeoutMs = 10_000): Promise<ConnectorCall> {
    const found = this.calls.find(match);
    if (found) return Promise.resolve(found);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error('fake connector: no matching call in time')),
        timeoutMs,
      );
      this.waiters.push({
        match,
        done: (c) => {
          clearTimeout(timer);
          resolve(c);
        },
      });
    });
  }

  private async handle(req: IncomingMessage): Promise<Failure> {
    let raw = '';
    for await (const chunk of req) raw += chunk;
    const path = decodeURIComponent((req.url ?? '').split('?')[0] ?? '').replace(/^.*?(\/v3\/)/, '$1');
    const m = /^\/v3\/conversations(?:\/(.+?)\/activities(?:\/([^/]+))?)?$/.exec(path);
    const conversationId = m?.[1];
    const activityId = m?.[2];
    const method = req.method ?? 'GET';
    const kind: ConnectorCall['kind'] = !m
      ? 'other'
      : !conversationId
        ? method === 'POST'
          ? 'create'
          : 'other'
        : activityId
          ? method === 'PUT'
            ? 'update'
            : 'reply'
          : 'send';
    const call: ConnectorCall = {
      method,
      kind,
      ...(conversationId ? { conversationId } : {}),
      ...(activityId ? { activityId } : {}),
      ...(typeof req.headers.authorization === 'string' ? { authorization: req.headers.authorization } : {}),
      body: raw ? JSON.parse(raw) : undefined,
    };
    const failure = this.failures.shift();
    if (failure)
      return { ...failure, body: failure.body ?? { error: { code: 'Failed', message: 'fake failure' } } };
    this.calls.push(call);
    for (const w of [...this.waiters]) {
      if (w.match(call)) {
        this.waiters.splice(this.waiters.indexOf(w), 1);
        w.done(call);
      }
    }
    const id = this.next++;
    if (kind === 'create') return { status: 201, body: { id: `a:1to1-${id}`, activityId: '' } };
    if (kind === 'update') return { status: 200, body: { id: activityId } };
    return { status: 201, body: { id: `act-${id}` } };
  }
}
