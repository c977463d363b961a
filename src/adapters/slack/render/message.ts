import type { types } from '@slack/bolt';
import type { MessageView, ReplyView } from '../../../chat/views.ts';
import { clip, mrkdwn } from './escape.ts';
import type { SlackMessage } from './notice.ts';

/** Block Kit limits: 3,000 characters of text per section, 50 blocks per message. */
const sectionChars = 2900;
const maxSections = 45;

/**
 * Lines of mrkdwn as section blocks, each within Slack's text limit, so a long digest or status
 * is split rather than cut off; past the block limit the rest is counted, not dropped silently.
 */
export function sections(lines: string[]): types.SectionBlock[] {
  const chunks: string[] = [];
  let current = '';
  for (const line of lines.map((l) => clip(l, sectionChars))) {
    if (current && current.length + 1 + line.length > sectionChars) {
      chunks.push(current);
      current = '';
    }
    current = current ? `${current}\n${line}` : line;
  }
  if (current) chunks.push(current);
  const shown = chunks.slice(0, maxSections);
  if (chunks.length > shown.length) {
    const hidden = chunks.slice(maxSections).join('\n').split('\n').length;
    shown.push(`_…and ${hidden} more lines_`);
  }
  return shown.map((text) => ({ type: 'section', text: { type: 'mrkdwn', text } }));
}

/** A reminder, escalation, digest or other message (thread reply or DM), escaped; optionally linking the notice. */
export function messageBlocks(view: MessageView, noticeLink?: string): SlackMessage {
  const blocks: types.KnownBlock[] = sections([`*${mrkdwn(view.title)}*`, ...view.lines.map(mrkdwn)]);
  if (noticeLink) {
    blocks.push({
      type: 'context',
      elements: [{ type: 'mrkdwn', text: `<${safeUrl(noticeLink)}|View the oversight notice>` }],
    });
  }
  return { text: clip(mrkdwn(view.title), 300), blocks };
}

/** The answer to a command or a button press, shown only to the person (ephemeral). */
export function replyBlocks(view: ReplyView): SlackMessage {
  return {
    text: clip(mrkdwn(view.text), 300),
    blocks: sections([mrkdwn(view.text), ...(view.lines ?? []).map(mrkdwn)]),
  };
}

/** A link target we built ourselves; `|` and `>` would end the mrkdwn link early, so they are encoded. */
function safeUrl(url: string): string {
  return url.replace(/\|/g, '%7C').replace(/>/g, '%3E').replace(/</g, '%3C');
}
