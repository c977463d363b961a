import type { ChatAdapter, MessageRef } from '../../chat/port.ts';
import type { MessageView, NoticeView } from '../../chat/views.ts';
import type { StaffRow } from '../../directory/index.ts';
import { renderMessage, renderNotice } from './render.ts';

/**
 * The console "platform": notices, reminders and digests print to the terminal, so the whole
 * loop can be tried on one machine without a Slack or Teams app.
 */
export class ConsoleAdapter implements ChatAdapter {
  readonly platform = 'console' as const;

  constructor(private readonly write: (text: string) => void) {}

  async postNotice(target: string, view: NoticeView): Promise<MessageRef> {
    this.write(`\n[${target}]\n${renderNotice(view)}\n`);
    return { channel: target, id: view.requestId };
  }

  async updateNotice(ref: MessageRef, view: NoticeView): Promise<void> {
    this.write(`\n[${ref.channel}] notice updated\n${renderNotice(view, 'NOTICE UPDATED')}\n`);
  }

  async replyInThread(ref: MessageRef, message: MessageView): Promise<void> {
    this.write(`\n[${ref.channel}, thread of ${message.crn ?? 'notice'}]\n${renderMessage(message)}\n`);
  }

  async sendDirect(person: StaffRow, message: MessageView): Promise<void> {
    this.write(`\n[direct message]\n${renderMessage(message, `${person.name} (${person.code})`)}\n`);
  }
}
