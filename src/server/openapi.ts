import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import {
  caseEventBatchSchema,
  caseEventResponseSchema,
  caseEventResultSchema,
  caseEventSchema,
  errorResponseSchema,
  maxEventsPerRequest,
  toleranceSeconds,
} from '../cases/index.ts';

/**
 * The ingestion API's OpenAPI 3.1 document, generated from the zod schemas that validate it, so
 * the document cannot promise what the service does not accept.
 */
export function openApiDocument(): Record<string, unknown> {
  const registry = z.registry<{ id?: string }>();
  for (const schema of [
    caseEventSchema,
    caseEventBatchSchema,
    caseEventResultSchema,
    caseEventResponseSchema,
    errorResponseSchema,
  ]) {
    registry.add(schema, { id: schema.meta()?.id as string });
  }
  const { schemas } = z.toJSONSchema(registry, { io: 'input', uri: (id) => `#/components/schemas/${id}` });
  // Components are addressed by their path; JSON Schema's own identifiers would only repeat it.
  for (const s of Object.values(schemas)) {
    delete (s as { $schema?: string }).$schema;
    delete (s as { $id?: string }).$id;
  }

  const ref = (id: string) => ({ $ref: `#/components/schemas/${id}` });
  const error = (description: string, example: object) => ({
    description,
    content: { 'application/json': { schema: ref('Error'), example } },
  });
  return {
    openapi: '3.1.0',
    info: {
      title: 'Oversight case-event API',
      version: '1',
      description:
        'Information systems report case events; the oversight policy decides whether each needs a ' +
        "manager's oversight (required), goes on the watch list (watch) or needs nothing (none). " +
        `Sign each request: HMAC-SHA256 over \`\${timestamp}.\${rawBody}\` with the shared secret, ` +
        `sent as \`X-Oversight-Timestamp\` (unix seconds, within ${toleranceSeconds / 60} minutes) and ` +
        '`X-Oversight-Signature: v1=<hex>`.',
    },
    paths: {
      '/api/v1/case-events': {
        post: {
          operationId: 'postCaseEvents',
          summary: `Report one case event, or a batch of up to ${maxEventsPerRequest}`,
          description:
            'Idempotent by (source, id): an event already stored comes back as `duplicate` and changes ' +
            'nothing. One transaction per request: every event is stored, or none is.',
          parameters: [
            {
              name: 'X-Oversight-Timestamp',
              in: 'header',
              required: true,
              description: 'unix seconds when the request was signed; refused beyond 5 minutes either way',
              schema: { type: 'string', pattern: '^\\d+$' },
              example: '1795168800',
            },
            {
              name: 'X-Oversight-Signature',
              in: 'header',
              required: true,
              description:
                'v1= and the hex HMAC-SHA256, under the shared secret, of the timestamp, a dot and the raw body',
              schema: { type: 'string', pattern: '^v1=[0-9a-f]{64}$' },
            },
          ],
          requestBody: {
            required: true,
            content: {
              'application/json': {
                schema: { oneOf: [ref('CaseEvent'), ref('CaseEventBatch')] },
                examples: requestExamples(),
              },
            },
          },
          responses: {
            '202': {
              description: 'Stored: one outcome per event, in request order',
              content: {
                'application/json': {
                  schema: ref('CaseEventResponse'),
                  example: {
                    results: [
                      {
                        index: 0,
                        id: 'ev-2026-0001',
                        source: 'police-feed',
                        status: 'accepted',
                        outcome: 'required',
                        rule: 'police.required_offence',
                        reason: 'Youth case: police arrest for a violence offence',
                        policyVersion: '2026-11-default',
                        requestId: '8d2f7a4e-3c1b-4e55-9b0a-2f6c1d9e7a10',
                      },
                    ],
                  },
                },
              },
            },
            '400': error('Invalid: every problem is named by its field; nothing was stored', {
              error: 'invalid_input',
              message: '1 problem in the request; nothing was stored',
              fields: [
                { path: 'events[3].case.crn', message: 'Invalid input: expected string, received undefined' },
              ],
            }),
            '401': error('Missing, wrong or stale signature', {
              error: 'unauthenticated',
              message: 'X-Oversight-Signature does not match the body',
              fields: [],
            }),
            '413': error(`Body over 1 MiB, or more than ${maxEventsPerRequest} events`, {
              error: 'too_large',
              message: 'request body is too large',
            }),
            '503': error('Storage unavailable: nothing was stored; retry the same request later', {
              error: 'unavailable',
              message: 'storage is unavailable; nothing was stored, retry later',
            }),
          },
        },
      },
    },
    components: { schemas },
  };
}

function requestExamples(): Record<string, { summary: string; value: unknown }> {
  const single = {
    id: 'ev-2026-0001',
    source: 'police-feed',
    type: 'police.arrest',
    occurredAt: '2026-11-20T10:00:00Z',
    case: { crn: 'X123456', service: 'youth', team: 'YOT-N', caseManager: 'cm-ali' },
    data: { offenceCategory: 'violence' },
  };
  const assessed = {
    ...single,
    id: 'oasys-778',
    source: 'oasys',
    type: 'risk.assessed',
    case: { crn: 'X654321', service: 'adult', team: 'PDU-E' },
    data: { rosh: 'HIGH' },
  };
  return {
    single: { summary: 'One event', value: single },
    batch: { summary: 'A batch', value: { events: [single, assessed] } },
  };
}

/** `GET /api/v1/openapi.json`. */
export function registerOpenApiRoute(server: FastifyInstance): void {
  let document: Record<string, unknown> | undefined;
  server.get('/api/v1/openapi.json', async () => {
    document ??= openApiDocument();
    return document;
  });
}
