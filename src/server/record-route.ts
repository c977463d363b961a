import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { crnHint, parseCrn } from '../cases/crn.ts';
import { caseRecordMarkdown } from '../export/index.ts';
import type { Services } from '../services.ts';

export type RecordRouteOptions = {
  services: Pick<Services, 'caseRecord'>;
  /** The shared secret integrations send as `Authorization: Bearer …`; unset: everyone is refused. */
  token: string | undefined;
};

/** Compares in constant time (over digests, so lengths do not leak either). */
function sameSecret(given: string, expected: string): boolean {
  const a = createHash('sha256').update(given).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b);
}

function bearer(req: FastifyRequest): string | undefined {
  const header = req.headers.authorization;
  const match = typeof header === 'string' ? /^Bearer\s+(\S+)\s*$/i.exec(header) : null;
  return match?.[1];
}

/**
 * `GET /api/v1/cases/{crn}/record`: the case's oversight record for integrations that write it
 * back to the case management system. It holds what managers wrote about a person on probation,
 * so it is never open to an anonymous caller: a bearer token is required, and the answer is not
 * cached. JSON by default; Markdown with `?format=md` or `Accept: text/markdown`.
 */
export function registerRecordRoute(server: FastifyInstance, options: RecordRouteOptions): void {
  server.get<{ Params: { crn: string }; Querystring: { format?: string } }>(
    '/api/v1/cases/:crn/record',
    async (req, reply) => {
      reply.header('cache-control', 'no-store');
      const given = bearer(req);
      if (!options.token || !given || !sameSecret(given, options.token)) {
        return reply
          .status(401)
          .header('www-authenticate', 'Bearer realm="oversight"')
          .send({
            error: 'unauthenticated',
            message: options.token
              ? 'send Authorization: Bearer <token>'
              : 'the record API is off: set RECORD_API_TOKEN on the server',
          });
      }
      const format =
        req.query.format ?? (/\btext\/markdown\b/.test(req.headers.accept ?? '') ? 'md' : 'json');
      if (format !== 'json' && format !== 'md') {
        return reply.status(400).send({ error: 'invalid_input', message: 'format must be json or md' });
      }
      // Validated before anything reads it: a CRN with a NUL or of any other shape would reach
      // Postgres, fail as a 500 and be logged with the query's parameters (the CRN among them).
      const crn = parseCrn(req.params.crn);
      if (!crn) {
        return reply.status(400).send({
          error: 'invalid_input',
          message: `that is not a CRN: ${crnHint}`,
          fields: [{ path: 'crn', message: `must be ${crnHint}` }],
        });
      }
      const record = await options.services.caseRecord(crn);
      if (format === 'md') return reply.type('text/markdown; charset=utf-8').send(caseRecordMarkdown(record));
      return reply.send(record);
    },
  );
}
