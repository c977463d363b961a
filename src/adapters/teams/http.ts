import type {
  AgentApplication,
  CloudAdapter,
  Request,
  TurnState,
  WebResponse,
} from '@microsoft/agents-hosting';
import type { FastifyInstance } from 'fastify';
import type { Logger } from '../../logger.ts';
import { errorSummary } from './delivery-errors.ts';
import { isLoopbackUrl } from './loopback.ts';

/** Collects what the SDK writes (status, headers, body), for Fastify to send. */
class CapturedResponse implements WebResponse {
  statusCode = 200;
  headers: Record<string, string> = {};
  body: unknown;
  headersSent = false;
  writableEnded = false;
  status(code: number): this {
    this.statusCode = code;
    return this;
  }
  setHeader(name: string, value: string): this {
    this.headers[name.toLowerCase()] = value;
    return this;
  }
  send(body?: unknown): this {
    this.body = body;
    return this;
  }
  end(): this {
    this.writableEnded = true;
    return this;
  }
}

export type MessagesRouteOptions = {
  cloud: CloudAdapter;
  bot: AgentApplication<TurnState>;
  /** True only with TEAMS_ALLOW_UNAUTHENTICATED=true outside production (config decides, not the SDK's own env check). */
  anonymous: boolean;
  logger: Logger;
};

/**
 * `POST /api/messages`, the Bot Framework endpoint, on our Fastify server: the SDK takes a
 * request-like object and a small response object, so no Express is needed. With credentials,
 * the bearer token is validated before anything is read from the activity.
 */
export function registerMessagesRoute(server: FastifyInstance, options: MessagesRouteOptions): void {
  const { cloud, bot, anonymous, logger } = options;
  server.post('/api/messages', async (req, reply) => {
    if (!req.body || typeof req.body !== 'object' || Array.isArray(req.body)) {
      return reply.status(400).send({ error: 'invalid_input', message: 'send an Activity as JSON' });
    }
    const request: Request = {
      body: req.body as Record<string, unknown>,
      headers: req.headers as Request['headers'],
      method: req.method,
    };
    const response = new CapturedResponse();
    if (anonymous) {
      // An identity without an audience: the SDK then replies without a token.
      request.user = { name: 'anonymous' };
    } else {
      let authorized = false;
      await cloud.authorizeRequest(request, response, () => {
        authorized = true;
      });
      if (!authorized)
        return reply.status(response.statusCode === 200 ? 401 : response.statusCode).send(response.body);
    }
    const missing = missingActivityFields(req.body as Record<string, unknown>);
    if (missing.length > 0) {
      return reply.status(400).send({
        error: 'invalid_input',
        message: 'not an Activity',
        fields: missing.map((path) => ({ path, message: 'is required' })),
      });
    }
    if (anonymous && !isLoopbackUrl((req.body as { serviceUrl: string }).serviceUrl)) {
      // Without a token nobody vouches for the service URL: answering it would send case details
      // wherever the sender names. Only a stand-in connector on this machine is answered.
      return reply.status(403).send({
        error: 'forbidden',
        message:
          'without Teams credentials only a loopback serviceUrl (127.0.0.1, ::1, localhost) is answered',
        fields: [{ path: 'serviceUrl', message: 'must be a loopback URL when Teams runs unauthenticated' }],
      });
    }
    try {
      await cloud.process(request, response, async (context) => {
        await bot.run(context);
      });
    } catch (error) {
      logger.error({ err: errorSummary(error) }, 'teams activity failed');
      return reply.status(500).send({ error: 'internal', message: 'internal error; it has been logged' });
    }
    for (const [name, value] of Object.entries(response.headers)) reply.header(name, value);
    reply.status(response.statusCode);
    return response.body === undefined ? reply.send() : reply.send(response.body);
  });
}

/**
 * The fields every activity the connector sends carries; without them the SDK throws deep inside
 * `process()`, which would be answered 500 instead of a clear 400.
 */
function missingActivityFields(body: Record<string, unknown>): string[] {
  const text = (v: unknown) => typeof v === 'string' && v.length > 0;
  const conversation = body.conversation as Record<string, unknown> | undefined;
  return [
    text(body.type) ? null : 'type',
    text(body.serviceUrl) ? null : 'serviceUrl',
    conversation && typeof conversation === 'object' && text(conversation.id) ? null : 'conversation.id',
  ].filter((f): f is string => f !== null);
}
