import type { HTTPReceiver } from '@slack/bolt';
import type { FastifyInstance } from 'fastify';
import { slackEventsPath } from './bolt-app.ts';

/**
 * Mounts Bolt's receiver at POST /slack/events. Bolt verifies Slack's signature over the raw body,
 * so this route (in its own scope) parses nothing and hands Node's request and response to Bolt.
 */
export async function mountSlackEvents(server: FastifyInstance, receiver: HTTPReceiver): Promise<void> {
  await server.register(async (scope) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', (_req, _payload, done) => done(null));
    scope.post(slackEventsPath, (req, reply) => {
      reply.hijack();
      receiver.requestListener(req.raw, reply.raw);
    });
  });
}
