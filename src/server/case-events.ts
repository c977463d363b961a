import type { FastifyInstance } from 'fastify';
import {
  type CaseEventRequest,
  type CaseEventResult,
  parseCaseEventRequest,
  verifySignature,
} from '../cases/index.ts';
import type { Actor } from '../context.ts';
import { invalid } from '../errors.ts';
import type { Metrics } from './metrics.ts';

export type CaseEventRouteOptions = {
  /** `EVENTS_SIGNING_SECRET`; without it every request is refused. */
  secret: string | undefined;
  ingest: (actor: Actor, request: CaseEventRequest) => Promise<CaseEventResult[]>;
  metrics: Metrics;
  now: () => Date;
};

/** Roughly 1,000 events with room for free text; a larger body is refused with 413 before it is read. */
export const caseEventBodyLimit = 1024 * 1024;

const apiActor: Actor = { staffCode: null, surface: 'api' };

/**
 * `POST /api/v1/case-events` (SPEC 'Case events'). Registered as an encapsulated plugin whose JSON
 * parser keeps the raw text: the signature is over the exact bytes sent, so the body is verified
 * before it is parsed, and other routes keep Fastify's own parser.
 */
export function registerCaseEventRoutes(server: FastifyInstance, options: CaseEventRouteOptions): void {
  void server.register(async (scope) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('application/json', { parseAs: 'string' }, (_req, body, done) =>
      done(null, body),
    );

    scope.post('/api/v1/case-events', { bodyLimit: caseEventBodyLimit }, async (req, reply) => {
      const raw = typeof req.body === 'string' ? req.body : '';
      verifySignature({
        secret: options.secret,
        timestamp: req.headers['x-oversight-timestamp'],
        signature: req.headers['x-oversight-signature'],
        body: raw,
        now: options.now(),
      });
      if (nestingDepth(raw) > maxNesting) {
        throw invalid('the body is nested too deeply; nothing was stored', [
          { path: 'body', message: `must not be nested more than ${maxNesting} levels deep` },
        ]);
      }
      let body: unknown;
      try {
        body = JSON.parse(raw);
      } catch (error) {
        throw invalid('the body is not valid JSON; nothing was stored', [
          { path: 'body', message: (error as Error).message },
        ]);
      }
      const results = await options.ingest(apiActor, parseValidated(body));
      for (const r of results)
        options.metrics.caseEvents.labels(r.status === 'duplicate' ? 'duplicate' : r.outcome).inc();
      return reply.status(202).send({ results });
    });
  });
}

/** No real event is nested more than a few levels; free-text `data` gets generous room. */
const maxNesting = 256;

/**
 * How deeply the JSON text nests arrays and objects, counted on the text (strings skipped) without
 * recursion: a body nested thousands of levels deep parses, but overflows the stack of whatever
 * walks it next (validation, the driver, Postgres's jsonb), which was answered 500.
 */
export function nestingDepth(json: string): number {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let i = 0; i < json.length; i++) {
    const c = json.charCodeAt(i);
    if (inString) {
      if (c === 0x5c)
        i++; // backslash: skip the escaped character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x7b || c === 0x5b) {
      depth++;
      if (depth > deepest) deepest = depth;
    } else if (c === 0x7d || c === 0x5d) depth--;
  }
  return deepest;
}

/**
 * Validation walks the parsed body recursively; a body nested thousands of levels deep would
 * overflow the stack there. No real event is nested more than a few levels, so that is refused
 * as bad input rather than answered as a server error.
 */
function parseValidated(body: unknown): ReturnType<typeof parseCaseEventRequest> {
  try {
    return parseCaseEventRequest(body);
  } catch (error) {
    if (error instanceof RangeError) {
      throw invalid('the body is nested too deeply; nothing was stored', [
        { path: 'body', message: 'nested too deeply' },
      ]);
    }
    throw error;
  }
}
