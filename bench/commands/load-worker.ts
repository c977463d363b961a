import { Agent, createServer, request } from 'node:http';
import { parentPort, workerData } from 'node:worker_threads';
import { slackSignature, slashCommandBody } from '../../test/support/slack-sign.ts';
import { type CommandKind, commandAt, expectedReply } from './mix.ts';

/**
 * The load generator, in its own thread so that building, signing and timing requests does not
 * compete with the server's event loop. It also plays Slack's response_url: a local HTTP server
 * that records when each delayed reply arrives (same clock as the send), and what it says.
 *
 * As people use a slash command, a sender waits for the HTTP ack and (service only) for the
 * reply at its response_url before its next command: see `mode`.
 */

export type LoadSpec = {
  url: string;
  target: 'service' | 'baseline';
  /**
   * closed: `concurrency` senders, each sending its next command once the last is answered (ack,
   * and for the service its reply); burst: waves of `concurrency` sent at once, each wave once the
   * last is answered.
   */
  mode: 'closed' | 'burst';
  /** Requests from..from+requests-1 of the mix. */
  from: number;
  requests: number;
  concurrency: number;
  secret: string;
  replyTimeoutMs: number;
};

export type LoadResult = {
  wallMs: number;
  kinds: CommandKind[];
  /** Send → HTTP response, ms. */
  ack: number[];
  /** Send → reply received at the response_url, ms; null when none came within the timeout. */
  reply: Array<number | null>;
  statuses: Record<string, number>;
  /** Replies whose text is not the success answer of their command, by command. */
  unexpected: Record<string, number>;
  samples: string[];
  /** Replies that were not ephemeral, or came for an unknown or already answered request. */
  strays: number;
};

const spec = workerData as LoadSpec;
const target = new URL(spec.url);
const agent = new Agent({ keepAlive: true, maxSockets: spec.concurrency });

type Waiter = { resolve(at: number, body: string): void };
const waiting = new Map<number, Waiter>();
let strays = 0;

const responder = createServer((req, res) => {
  let body = '';
  req.setEncoding('utf8');
  req.on('data', (chunk) => {
    body += chunk;
  });
  req.on('end', () => {
    const at = performance.now();
    const id = Number(/^\/r\/(\d+)$/.exec(req.url ?? '')?.[1] ?? -1);
    const waiter = waiting.get(id);
    waiting.delete(id);
    if (waiter) waiter.resolve(at, body);
    else strays += 1;
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end('{"ok":true}');
  });
});
await new Promise<void>((resolve) => responder.listen(0, '127.0.0.1', () => resolve()));
const port = (responder.address() as { port: number }).port;

function post(body: string): Promise<number> {
  const timestamp = Math.floor(Date.now() / 1000);
  return new Promise((resolve, reject) => {
    const req = request(
      {
        agent,
        host: target.hostname,
        port: target.port,
        path: '/slack/events',
        method: 'POST',
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          'content-length': Buffer.byteLength(body),
          'x-slack-request-timestamp': String(timestamp),
          'x-slack-signature': slackSignature(spec.secret, body, timestamp),
        },
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

/** Resolves with the reply's arrival time and body, or null after the timeout. */
function replyTo(id: number): Promise<{ at: number; body: string } | null> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      waiting.delete(id);
      resolve(null);
    }, spec.replyTimeoutMs);
    waiting.set(id, {
      resolve(at, body) {
        clearTimeout(timer);
        resolve({ at, body });
      },
    });
  });
}

const kinds = new Array<CommandKind>(spec.requests);
const ack = new Array<number>(spec.requests);
const reply = new Array<number | null>(spec.requests).fill(null);
const statuses: Record<string, number> = {};
const unexpected: Record<string, number> = {};
const samples: string[] = [];

function check(kind: CommandKind, body: string): void {
  let text = '';
  let ephemeral = false;
  try {
    const parsed = JSON.parse(body) as { text?: string; response_type?: string };
    text = parsed.text ?? '';
    ephemeral = parsed.response_type === 'ephemeral';
  } catch {
    // counted as unexpected below
  }
  if (!ephemeral) strays += 1;
  if (!expectedReply[kind].test(text)) {
    unexpected[kind] = (unexpected[kind] ?? 0) + 1;
    if (samples.length < 5) samples.push(`${kind}: ${text.slice(0, 160)}`);
  }
}

/** Sends request k of this load and records its ack and (service) its reply. */
async function one(k: number): Promise<void> {
  const id = spec.from + k;
  const command = commandAt(id);
  kinds[k] = command.kind;
  const body = slashCommandBody({
    userId: command.userId,
    text: command.text,
    responseUrl: `http://127.0.0.1:${port}/r/${id}`,
  });
  const replied = spec.target === 'service' ? replyTo(id) : Promise.resolve(null);
  const started = performance.now();
  const status = await post(body);
  ack[k] = performance.now() - started;
  statuses[status] = (statuses[status] ?? 0) + 1;
  const answer = await replied;
  if (answer) {
    reply[k] = answer.at - started;
    check(command.kind, answer.body);
  }
}

let next = 0;
async function sender(): Promise<void> {
  while (next < spec.requests) await one(next++);
}

const started = performance.now();
if (spec.mode === 'closed') {
  await Promise.all(Array.from({ length: spec.concurrency }, () => sender()));
} else {
  // Waves: `concurrency` commands sent at the same instant, the next wave once all are answered.
  for (let wave = 0; wave < spec.requests; wave += spec.concurrency) {
    const size = Math.min(spec.concurrency, spec.requests - wave);
    await Promise.all(Array.from({ length: size }, (_, j) => one(wave + j)));
  }
}
const wallMs = performance.now() - started;
agent.destroy();
responder.closeAllConnections();
await new Promise<void>((resolve) => responder.close(() => resolve()));
const result: LoadResult = { wallMs, kinds, ack, reply, statuses, unexpected, samples, strays };
parentPort!.postMessage(result);
