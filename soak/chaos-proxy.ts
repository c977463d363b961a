import { createServer, type IncomingMessage, type Server } from 'node:http';
import { closeServer, listenLocally } from '../test/support/local-http.ts';

/** One call that reached the platform (forwarded, and answered by it). */
export type Exchange = {
  /** When the call arrived (ms since the epoch). */
  at: number;
  method: string;
  /** The path, decoded, without the query. */
  path: string;
  contentType: string;
  request: string;
  status: number;
  response: string;
};

/** The share of calls answered 429 (with this Retry-After) and 500 during a storm. */
export type StormOptions = { ratelimitedShare: number; serverErrorShare: number; retryAfterSeconds: number };

/**
 * An HTTP proxy between the service and a fake chat platform that records every call the platform
 * answered and, during a storm, answers some calls itself with 429 (Retry-After) or 500 without
 * forwarding them — as Slack does when it rate-limits, before anything is posted. So the record of
 * forwarded calls is exactly what the platform shows people.
 */
export class ChaosProxy {
  readonly exchanges: Exchange[] = [];
  injected = { ratelimited: 0, serverError: 0 };
  private server: Server | undefined;
  private storm: (StormOptions & { until: number }) | undefined;
  url = '';

  constructor(
    private readonly target: () => string,
    private readonly random: () => number = Math.random,
  ) {}

  async start(): Promise<this> {
    const server = createServer((req, res) => {
      void this.handle(req).then(
        ({ status, headers, body }) => {
          res.writeHead(status, headers);
          res.end(body);
        },
        () => {
          res.writeHead(502);
          res.end();
        },
      );
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

  /** Fails a share of calls for `ms` from now. */
  startStorm(ms: number, options: StormOptions): void {
    this.storm = { ...options, until: Date.now() + ms };
  }

  get storming(): boolean {
    return this.storm !== undefined && Date.now() < this.storm.until;
  }

  private async handle(
    req: IncomingMessage,
  ): Promise<{ status: number; headers: Record<string, string>; body: string }> {
    const at = Date.now();
    let request = '';
    for await (const chunk of req) request += chunk;
    const storm = this.storm;
    if (storm && Date.now() < storm.until) {
      const roll = this.random();
      if (roll < storm.ratelimitedShare) {
        this.injected.ratelimited += 1;
        return {
          status: 429,
          headers: { 'content-type': 'application/json', 'retry-after': String(storm.retryAfterSeconds) },
          body: JSON.stringify({ ok: false, error: 'ratelimited' }),
        };
      }
      if (roll < storm.ratelimitedShare + storm.serverErrorShare) {
        this.injected.serverError += 1;
        return { status: 500, headers: { 'content-type': 'text/plain' }, body: 'storm' };
      }
    }
    const contentType = String(req.headers['content-type'] ?? '');
    const answer = await fetch(`${this.target()}${req.url ?? '/'}`, {
      method: req.method ?? 'GET',
      headers: contentType ? { 'content-type': contentType } : {},
      ...(request && req.method !== 'GET' ? { body: request } : {}),
    });
    const response = await answer.text();
    const path = decodeURIComponent((req.url ?? '/').split('?')[0] ?? '/');
    this.exchanges.push({
      at,
      method: req.method ?? 'GET',
      path,
      contentType,
      request,
      status: answer.status,
      response,
    });
    return {
      status: answer.status,
      headers: { 'content-type': answer.headers.get('content-type') ?? 'application/json' },
      body: response,
    };
  }
}
