import type { Platform } from '../../db/schema/index.ts';
import type { StaffRow } from '../directory/index.ts';
import type { MessageView, NoticeView } from './views.ts';

/** Where a posted notice lives on a platform: Slack channel + ts, Teams conversation + activity id. */
export type MessageRef = { channel: string; id: string };

/**
 * The chat port: what the domain (through the delivery worker) asks of a chat platform. Slack,
 * Teams and the console implement it; each turns the platform-neutral views into its own format
 * and escapes every string in them.
 */
export interface ChatAdapter {
  readonly platform: Platform;
  /** Posts a notice to a team's channel (`target` is the channel or conversation id). */
  postNotice(target: string, view: NoticeView): Promise<MessageRef>;
  /** Re-renders a posted notice in place, for everyone who sees it. */
  updateNotice(ref: MessageRef, view: NoticeView): Promise<void>;
  /** Replies in the notice's thread (reminders while it is unacknowledged). */
  replyInThread(ref: MessageRef, message: MessageView): Promise<void>;
  /** A direct (1:1) message to a member of staff. */
  sendDirect(person: StaffRow, message: MessageView): Promise<void>;
}

/**
 * A failed outbound call. `permanent` failures (channel not found, bot not in channel, bad auth)
 * are recorded on the delivery and not retried; others are retried with backoff, waiting at least
 * `retryAfterMs` when the platform said so (HTTP 429 Retry-After).
 */
export class DeliveryError extends Error {
  override name = 'DeliveryError';
  constructor(
    message: string,
    readonly permanent: boolean,
    readonly retryAfterMs?: number,
  ) {
    super(message);
  }
}
