import type { webApi } from '@slack/bolt';
import type { ChatAdapter, MessageRef } from '../../chat/index.ts';
import { DeliveryError } from '../../chat/index.ts';
import { toDeliveryError } from './delivery-errors.ts';
import { messageBlocks } from './render/message.ts';
import { noticeMessage } from './render/notice.ts';

type WebClient = InstanceType<typeof webApi.WebClient>;

export type SlackChatAdapterOptions = {
  client: WebClient;
  /** Where a request's notice was posted in Slack, so DMs about it can link to it. */
  noticeRef(requestId: string): Promise<MessageRef | null>;
};

/**
 * The chat port on the Slack Web API. Its client never retries or waits by itself: the delivery
 * queue owns pacing, retries and Retry-After, so every failure is turned into a DeliveryError.
 */
export function createSlackChatAdapter({ client, noticeRef }: SlackChatAdapterOptions): ChatAdapter {
  const call = async <T>(fn: () => Promise<T>): Promise<T> => {
    try {
      return await fn();
    } catch (error) {
      throw toDeliveryError(error);
    }
  };

  async function linkTo(requestId: string | undefined): Promise<string | undefined> {
    if (!requestId) return undefined;
    const ref = await noticeRef(requestId);
    if (!ref) return undefined;
    try {
      const answer = await client.chat.getPermalink({ channel: ref.channel, message_ts: ref.id });
      if (answer.permalink) return answer.permalink;
    } catch {
      // A DM without the link is still worth sending; Slack's redirect finds the channel.
    }
    return `https://slack.com/app_redirect?channel=${encodeURIComponent(ref.channel)}`;
  }

  return {
    platform: 'slack',
    async postNotice(target, view) {
      const message = noticeMessage(view);
      const answer = await call(() =>
        client.chat.postMessage({
          channel: target,
          text: message.text,
          blocks: message.blocks,
          unfurl_links: false,
        }),
      );
      if (!answer.ts) throw new DeliveryError('no_ts_in_answer', false);
      return { channel: answer.channel ?? target, id: answer.ts };
    },
    async updateNotice(ref, view) {
      const message = noticeMessage(view);
      await call(() =>
        client.chat.update({ channel: ref.channel, ts: ref.id, text: message.text, blocks: message.blocks }),
      );
    },
    async replyInThread(ref, view) {
      const message = messageBlocks(view);
      await call(() =>
        client.chat.postMessage({
          channel: ref.channel,
          thread_ts: ref.id,
          text: message.text,
          blocks: message.blocks,
        }),
      );
    },
    async sendDirect(person, view) {
      if (!person.slackUserId) throw new DeliveryError('no_slack_user', true);
      const message = messageBlocks(view, await linkTo(view.requestId));
      // Posting to a user id delivers to the app's direct-message conversation with that person.
      await call(() =>
        client.chat.postMessage({
          channel: person.slackUserId!,
          text: message.text,
          blocks: message.blocks,
          unfurl_links: false,
        }),
      );
    },
  };
}
