import type { PersonRef } from '../../../chat/views.ts';

/**
 * Escapes text for Slack mrkdwn. Slack parses `<…>` as mentions, broadcasts and links, so `&`, `<`
 * and `>` are the only characters to escape: `<!channel>`, `<@U…>` and `<http…|…>` in user text
 * then show as typed instead of notifying or forging a link.
 */
export function mrkdwn(text: string): string {
  return withoutControls(text).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

// biome-ignore lint/suspicious/noControlCharactersInRegex: the point is to remove them
const controls = /[\u0000-\u0008\u000b-\u001f\u007f\u202a-\u202e\u2066-\u2069]/g;

/**
 * Control characters and bidi overrides in user text could reorder or hide what a reader sees
 * (e.g. make a ref or date read differently); they are dropped from what chat shows. The stored
 * text keeps them verbatim.
 */
export function withoutControls(text: string): string {
  return text.replace(controls, '');
}

/** Shortens text to Slack's field limits (plain_text options, headers, labels), marking the cut. */
export function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, Math.max(0, max - 1))}…`;
}

const slackUserId = /^[UW][A-Z0-9]{2,}$/;

/**
 * A member of staff in mrkdwn: a real mention built from the directory's Slack user id (staff may
 * be mentioned), otherwise their escaped name.
 */
export function mention(person: PersonRef | null | undefined): string {
  if (!person) return '_not recorded_';
  if (person.slackUserId && slackUserId.test(person.slackUserId)) return `<@${person.slackUserId}>`;
  return mrkdwn(person.name);
}
