import type { HTTPReceiver } from '@slack/bolt';
import type { FastifyInstance } from 'fastify';
import { slackEventsPath } from './bolt-app.ts';

/** How far ahead of our clock a request's timestamp may be (Slack's own window for stale ones). */
const futureSkewSeconds = 5 * 60;

/**
 * Mounts Bolt's receiver at POST /slack/events. Bolt verifies Slack's signature over the raw body,
 * so this route (in its own scope) parses nothing and hands Node's request and response to Bolt.
 * Bolt refuses stale timestamps but not future ones, which would let a captured request be
 * replayed for as long as its timestamp is ahead: those are refused here, before Bolt runs.
 */
export async function mountSlackEvents(
  server: FastifyInstance,
  receiver: HTTPReceiver,
  now: () => Date = () => new Date(),
): Promise<void> {
  await server.register(async (scope) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', (_req, _payload, done) => done(null));
    scope.post(slackEventsPath, (req, reply) => {
      const timestamp = Number(req.headers['x-slack-request-timestamp']);
      if (Number.isFinite(timestamp) && timestamp > now().getTime() / 1000 + futureSkewSeconds) {
        return reply.status(401).send({
          error: 'unauthorized',
          message: 'X-Slack-Request-Timestamp is more than 5 minutes in the future',
        });
      }
      reply.hijack();
      receiver.requestListener(req.raw, reply.raw);
    });
  });
}
