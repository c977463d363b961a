import type { FastifyInstance } from 'fastify';

/**
 * `POST /api/messages` when Teams is off (no credentials, and unauthenticated mode not asked for):
 * refuses every request as a request without a valid token, so the default is closed rather than
 * a 404 that a scanner might read as "try elsewhere".
 */
export function registerClosedMessagesRoute(server: FastifyInstance): void {
  server.post('/api/messages', async (_req, reply) =>
    reply
      .status(401)
      .header('www-authenticate', 'Bearer')
      .send({ error: 'unauthorized', message: 'a valid Bot Framework token is required' }),
  );
}
