import { webApi } from '@slack/bolt';
import { eq } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { oversightRequests } from '../../../db/schema/index.ts';
import type { ChatAdapter, MessageRef } from '../../chat/index.ts';
import { createSlackBolt, type SlackBolt, type SlackSettings } from './bolt-app.ts';
import { createSlackChatAdapter } from './chat-adapter.ts';
import type { SlackDeps } from './context.ts';
import { mountSlackEvents } from './http-mount.ts';

export type { SlackSettings } from './bolt-app.ts';
export { slackEventsPath } from './bolt-app.ts';

export type Slack = {
  /** The chat port on Slack, for the delivery worker. */
  adapter: ChatAdapter;
  bolt: SlackBolt;
  /** Receives Slack's requests: mounts POST /slack/events, or connects Socket Mode. */
  attach(server: FastifyInstance): Promise<void>;
  close(): Promise<void>;
};

/** The Slack integration: the chat port for outbound messages and the Bolt app for what people do. */
export function createSlack(deps: SlackDeps, settings: SlackSettings): Slack {
  const bolt = createSlackBolt(deps, settings);
  // The delivery client neither retries nor sleeps on 429: the delivery queue paces, retries and
  // honours Retry-After, across processes.
  const client = new webApi.WebClient(settings.botToken, {
    ...(settings.apiUrl ? { slackApiUrl: settings.apiUrl } : {}),
    retryConfig: { retries: 0 },
    rejectRateLimitedCalls: true,
    timeout: 10_000,
  });
  const adapter = createSlackChatAdapter({
    client,
    async noticeRef(requestId): Promise<MessageRef | null> {
      const [row] = await deps.services.deps.db
        .select({ channel: oversightRequests.slackChannel, ts: oversightRequests.slackTs })
        .from(oversightRequests)
        .where(eq(oversightRequests.id, requestId));
      return row?.channel && row.ts ? { channel: row.channel, id: row.ts } : null;
    },
  });
  let socketStarted = false;
  return {
    adapter,
    bolt,
    async attach(server) {
      if (bolt.http) {
        await mountSlackEvents(server, bolt.http);
        return;
      }
      // Socket Mode connects out to Slack; a failure is logged, and the client keeps reconnecting.
      socketStarted = true;
      bolt.app.start().catch((error: Error) => {
        deps.logger.error(
          { err: { name: error.name, message: error.message } },
          'slack socket mode did not start',
        );
      });
    },
    async close() {
      if (socketStarted) await bolt.app.stop().catch(() => {});
    },
  };
}
