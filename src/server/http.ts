import { randomUUID } from 'node:crypto';
import Fastify, { type FastifyBaseLogger, type FastifyInstance, LogController } from 'fastify';
import { isConnectionError } from '../../db/client.ts';
import { isAppError } from '../errors.ts';
import type { Logger } from '../logger.ts';
import type { Metrics } from './metrics.ts';

export type HttpOptions = { logger: Logger; metrics: Metrics; bodyLimit?: number };

/**
 * The one HTTP server. Routes are added by the caller; this sets up request ids, logs without
 * personal data (route patterns, not URLs), metrics, and the mapping of errors to statuses.
 */
export function createHttpServer(options: HttpOptions): FastifyInstance {
  const server = Fastify({
    loggerInstance: options.logger as FastifyBaseLogger,
    bodyLimit: options.bodyLimit ?? 1024 * 1024,
    genReqId: (req) => {
      const given = req.headers['x-request-id'];
      return typeof given === 'string' && /^[\w.-]{1,64}$/.test(given) ? given : randomUUID();
    },
    // Fastify's own per-request lines would log URLs (which hold CRNs); the onResponse hook logs route patterns.
    logController: new LogController({ disableRequestLogging: true }),
    return503OnClosing: true,
    forceCloseConnections: 'idle',
  });

  server.addHook('onResponse', async (req, reply) => {
    const route = req.routeOptions.url ?? 'unmatched';
    options.metrics.httpDuration
      .labels(req.method, route, String(reply.statusCode))
      .observe(reply.elapsedTime / 1000);
    req.log.info(
      { method: req.method, route, status: reply.statusCode, ms: Math.round(reply.elapsedTime) },
      'request',
    );
  });

  server.setErrorHandler((error, req, reply) => {
    if (isAppError(error)) {
      return reply
        .status(error.status)
        .send({ error: error.code, message: error.message, fields: error.fields });
    }
    const fastifyError = error as { statusCode?: number; code?: string; message?: string };
    if (fastifyError.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
      return reply.status(413).send({ error: 'too_large', message: 'request body is too large' });
    }
    if (fastifyError.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') {
      return reply.status(415).send({ error: 'unsupported_media_type', message: 'send application/json' });
    }
    if (req.raw.aborted || fastifyError.code === 'ECONNABORTED' || fastifyError.message === 'aborted') {
      // The client went away mid-body: nobody reads this answer, and it says nothing about storage.
      req.log.info({ route: req.routeOptions.url ?? 'unmatched' }, 'client aborted the request');
      return reply.status(400).send({ error: 'aborted', message: 'the request was aborted by the client' });
    }
    if (isConnectionError(error)) {
      req.log.warn({ err: { code: fastifyError.code } }, 'storage unavailable');
      return reply
        .status(503)
        .header('retry-after', '5')
        .send({ error: 'unavailable', message: 'storage is unavailable; nothing was stored, retry later' });
    }
    if (fastifyError.statusCode && fastifyError.statusCode < 500) {
      return reply
        .status(fastifyError.statusCode)
        .send({ error: 'invalid_input', message: fastifyError.message ?? 'bad request' });
    }
    req.log.error({ err: loggableError(error) }, 'unhandled error');
    return reply.status(500).send({ error: 'internal', message: 'internal error; it has been logged' });
  });

  server.setNotFoundHandler((_req, reply) =>
    reply.status(404).send({ error: 'not_found', message: 'no such route' }),
  );
  return server;
}

/**
 * An error as it may be logged: a failed query's message holds its SQL parameters (CRNs, names,
 * free text), so only its name and SQLSTATE are kept; other errors keep name, message and stack.
 */
export function loggableError(error: unknown): Record<string, unknown> {
  if (!(error instanceof Error)) return { type: typeof error };
  const cause = (error as { cause?: { code?: unknown } }).cause;
  if (error.name === 'DrizzleQueryError' || /^Failed query/.test(error.message)) {
    return { name: error.name, code: typeof cause?.code === 'string' ? cause.code : undefined };
  }
  if (typeof (error as { query?: unknown }).query === 'string' || 'parameters' in error) {
    // postgres-js's own PostgresError carries the query and its parameters.
    return { name: error.name, code: (error as { code?: unknown }).code };
  }
  return { name: error.name, message: error.message, stack: error.stack };
}
