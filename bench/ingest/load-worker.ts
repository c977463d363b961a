import { Agent, request } from 'node:http';
import { parentPort, workerData } from 'node:worker_threads';
import { signedHeaders } from '../../src/cases/signature.ts';
import { benchEvent, type Scenario } from './events.ts';

/**
 * The load generator, in its own thread so that building, signing and timing requests does not
 * compete with the server's event loop. Baseline and service get exactly the same bodies.
 */

export type LoadSpec = {
  url: string;
  path: string;
  scenario: Scenario;
  runId: string;
  requests: number;
  concurrency: number;
  batchSize: number;
  /** Cases used, from `caseOffset`, cycling through `caseCount`. */
  caseOffset: number;
  caseCount: number;
  secret: string;
};

export type LoadResult = {
  wallMs: number;
  latencies: number[];
  statuses: Record<string, number>;
  outcomes: Record<string, number>;
};

const spec = workerData as LoadSpec;
const target = new URL(spec.url);
const agent = new Agent({ keepAlive: true, maxSockets: spec.concurrency });

function bodyOf(i: number): string {
  if (spec.batchSize === 1) {
    // Spread single events over the cases, so concurrent senders rarely wait for the same case.
    const caseIndex = spec.caseOffset + ((i * 7919) % spec.caseCount);
    return JSON.stringify(benchEvent(spec.scenario, spec.runId, i, caseIndex));
  }
  const events = Array.from({ length: spec.batchSize }, (_, j) => {
    const seq = i * spec.batchSize + j;
    return benchEvent(spec.scenario, spec.runId, seq, spec.caseOffset + (seq % spec.caseCount));
  });
  return JSON.stringify({ events });
}

function post(body: string): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        agent,
        host: target.hostname,
        port: target.port,
        path: spec.path,
        method: 'POST',
        headers: { ...signedHeaders(spec.secret, body), 'content-length': Buffer.byteLength(body) },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk) => {
          text += chunk;
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

const latencies = new Array<number>(spec.requests);
const statuses: Record<string, number> = {};
const outcomes: Record<string, number> = {};
let next = 0;

async function sender(): Promise<void> {
  while (next < spec.requests) {
    const i = next++;
    const body = bodyOf(i);
    const started = performance.now();
    const { status, text } = await post(body);
    latencies[i] = performance.now() - started;
    statuses[status] = (statuses[status] ?? 0) + 1;
    if (status === 202) {
      for (const r of (JSON.parse(text) as { results: Array<{ status: string; outcome: string }> }).results) {
        const key = r.status === 'duplicate' ? 'duplicate' : r.outcome;
        outcomes[key] = (outcomes[key] ?? 0) + 1;
      }
    }
  }
}

const started = performance.now();
await Promise.all(Array.from({ length: spec.concurrency }, () => sender()));
const result: LoadResult = { wallMs: performance.now() - started, latencies, statuses, outcomes };
agent.destroy();
parentPort!.postMessage(result);
