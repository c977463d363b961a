import type { MessageView, NoticeView, PersonRef, ReplyView } from '../../chat/views.ts';
import { formatLocal } from '../../time.ts';

/**
 * Terminal renderings of the chat views: readable text, not JSON. Control characters in any
 * string are made visible, so user text cannot move the cursor or clear the screen.
 */

// biome-ignore lint/suspicious/noControlCharactersInRegex: the point is to neutralise them
const control = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g;

/** Makes user text safe to print: control characters become visible escapes. */
export function clean(text: string): string {
  return text.replace(control, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}

const name = (p: PersonRef | null) => (p ? clean(p.name) : 'unknown');
const level = (l: string | null) => (l ? l.replace('_', ' ') : 'not assessed');

export function renderNotice(view: NoticeView, heading = 'OVERSIGHT NOTICE'): string {
  const tz = view.timezone;
  const lines = [
    `┌─ ${heading} · ${view.crn} · ${view.service} · team ${view.teamCode} · ${view.status.toUpperCase()}`,
    `│ RoSH: ${level(view.rosh)}${view.service === 'youth' ? ` · Vulnerability: ${level(view.vulnerability)}` : ''}`,
    `│ Case manager: ${name(view.caseManager)}`,
    ...view.triggers.map(
      (t) =>
        `│ Trigger (${clean(t.category)}): ${clean(t.reason)} [rule ${t.rule}, policy ${t.policyVersion}]`,
    ),
  ];
  if (view.acknowledged) {
    lines.push(`│ Acknowledged by ${name(view.acknowledged.by)} at ${formatLocal(view.acknowledged.at, tz)}`);
  } else {
    lines.push(`│ Acknowledge by ${formatLocal(view.acknowledgeBy, tz)}`);
  }
  if (view.recorded)
    lines.push(`│ Oversight recorded by ${name(view.recorded.by)} at ${formatLocal(view.recorded.at, tz)}`);
  for (const a of view.actions) {
    lines.push(
      `│ Action ${a.ref} · ${a.status.replace('_', ' ')} · owner ${name(a.owner)} · due ${a.dueDate}${a.overdue ? ' · OVERDUE' : ''}`,
    );
  }
  if (view.closedAt) lines.push(`│ Closed at ${formatLocal(view.closedAt, tz)}`);
  if (view.status === 'open') {
    lines.push(`└─ buttons: ack ${view.crn} · record ${view.crn} · escalate ${view.crn}`);
  } else {
    lines.push('└─');
  }
  return lines.join('\n');
}

export function renderMessage(message: MessageView, to?: string): string {
  const label = {
    reminder: 'REMINDER',
    escalation: 'ESCALATION',
    awaiting_confirmation: 'AWAITING CONFIRMATION',
    digest: 'DIGEST',
    info: 'MESSAGE',
  }[message.kind];
  const head = `┌─ ${label}${to ? ` to ${clean(to)}` : ''}: ${clean(message.title)}`;
  return [head, ...message.lines.map((l) => `│ ${clean(l)}`), '└─'].join('\n');
}

export function renderReply(reply: ReplyView): string {
  return [
    `${reply.ok ? '✓' : '✗'} ${clean(reply.text)}`,
    ...(reply.lines ?? []).map((l) => `  ${clean(l)}`),
  ].join('\n');
}
