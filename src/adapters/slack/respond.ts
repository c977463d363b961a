import type { RespondFn } from '@slack/bolt';
import type { ReplyView } from '../../chat/views.ts';
import { replyBlocks } from './render/message.ts';

/** Answers only the person who acted (ephemeral), leaving the original message as it is. */
export async function respondEphemeral(respond: RespondFn, reply: ReplyView): Promise<void> {
  const message = replyBlocks(reply);
  await respond({
    response_type: 'ephemeral',
    replace_original: false,
    text: message.text,
    blocks: message.blocks,
  });
}
