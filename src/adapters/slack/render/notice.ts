import type { types } from '@slack/bolt';
import type { NoticeView } from '../../../chat/views.ts';
import { formatLocal } from '../../../time.ts';
import { actionIds } from '../ids.ts';
import { clip, mention, mrkdwn } from './escape.ts';
import { categoryWord, levelWord, serviceWord } from './labels.ts';

export type SlackMessage = { text: string; blocks: types.KnownBlock[] };

/** How many triggers and actions a notice lists before summarising the rest (Block Kit text limits). */
const maxTriggers = 8;
const maxActions = 10;

const statusWords: Record<NoticeView['status'], string> = {
  open: 'Awaiting acknowledgement',
  acknowledged: 'Acknowledged',
  recorded: 'Oversight recorded; actions open',
  closed: 'Closed',
};

/**
 * The oversight notice in the managers' channel, rendered from the database at send time.
 * Data minimisation: only the CRN, levels, trigger categories with the policy's own sentence, staff
 * mentions and times; never a name of a person on probation nor an event's free text. Every
 * string is escaped, because even policy and directory text must not be able to notify a channel.
 */
export function noticeMessage(view: NoticeView): SlackMessage {
  const tz = view.timezone;
  const levels = [`RoSH ${levelWord(view.rosh)}`];
  if (view.service === 'youth' || view.vulnerability)
    levels.push(`vulnerability ${levelWord(view.vulnerability)}`);
  const blocks: types.KnownBlock[] = [
    { type: 'header', text: { type: 'plain_text', text: `Oversight required: ${view.crn}` } },
    {
      type: 'section',
      fields: [
        field('CRN', mrkdwn(view.crn)),
        field('Service', `${serviceWord(view.service)} (team ${mrkdwn(view.teamCode)})`),
        field('RoSH', levelWord(view.rosh)),
        ...(view.service === 'youth' || view.vulnerability
          ? [field('Vulnerability', levelWord(view.vulnerability))]
          : []),
        field('Case manager', mention(view.caseManager)),
        field('Acknowledge by', formatLocal(view.acknowledgeBy, tz)),
      ],
    },
    { type: 'section', text: { type: 'mrkdwn', text: triggersText(view) } },
    { type: 'context', elements: [{ type: 'mrkdwn', text: statusText(view) }] },
  ];
  if (view.actions.length > 0) {
    blocks.push({ type: 'section', text: { type: 'mrkdwn', text: actionsText(view) } });
  }
  const buttons = noticeButtons(view);
  if (buttons.length > 0) blocks.push({ type: 'actions', block_id: 'notice_actions', elements: buttons });
  return {
    // The notification text (also what screen readers and old clients show).
    text: mrkdwn(
      `Oversight ${view.status === 'open' ? 'required' : statusWords[view.status].toLowerCase()}: ${view.crn} (${serviceWord(view.service)}, ${levels.join(', ')})`,
    ),
    blocks,
  };
}

const field = (label: string, value: string): types.MrkdwnElement => ({
  type: 'mrkdwn',
  text: `*${label}*\n${value}`,
});

function triggersText(view: NoticeView): string {
  const shown = view.triggers.slice(-maxTriggers);
  const earlier = view.triggers.length - shown.length;
  const lines = shown.map(
    (t) =>
      `• *${mrkdwn(categoryWord(t.category))}*: ${mrkdwn(t.reason)} _(rule ${mrkdwn(t.rule)}, policy ${mrkdwn(t.policyVersion)})_`,
  );
  if (earlier > 0) lines.unshift(`_…and ${earlier} earlier trigger${earlier === 1 ? '' : 's'}_`);
  return clip(`*Why oversight is required*\n${lines.join('\n')}`, 2900);
}

function statusText(view: NoticeView): string {
  const tz = view.timezone;
  const parts = [`*Status:* ${statusWords[view.status]}`];
  if (view.acknowledged) {
    parts.push(
      `acknowledged by ${mention(view.acknowledged.by)} at ${formatLocal(view.acknowledged.at, tz)}`,
    );
  }
  if (view.recorded) {
    parts.push(`recorded by ${mention(view.recorded.by)} at ${formatLocal(view.recorded.at, tz)}`);
  }
  if (view.closedAt) parts.push(`closed at ${formatLocal(view.closedAt, tz)}`);
  return parts.join(' · ');
}

const actionStatusWords: Record<NoticeView['actions'][number]['status'], string> = {
  open: 'open',
  done_claimed: 'marked done, awaiting confirmation',
  confirmed: 'confirmed',
  cancelled: 'cancelled',
};

function actionsText(view: NoticeView): string {
  const shown = view.actions.slice(0, maxActions);
  const lines = shown.map(
    (a) =>
      `• *${mrkdwn(a.ref)}*: ${mention(a.owner)}, due ${mrkdwn(a.dueDate)}, ${actionStatusWords[a.status]}${a.overdue ? ' (*overdue*)' : ''}`,
  );
  const more = view.actions.length - shown.length;
  if (more > 0) lines.push(`_…and ${more} more_`);
  return clip(`*Remedial actions*\n${lines.join('\n')}`, 2900);
}

/** Buttons for what can still be done: nothing once closed, Acknowledge only while open. */
function noticeButtons(view: NoticeView): types.Button[] {
  if (view.status === 'closed') return [];
  const button = (text: string, actionId: string, style?: 'primary'): types.Button => ({
    type: 'button',
    text: { type: 'plain_text', text },
    action_id: actionId,
    value: view.requestId,
    ...(style ? { style } : {}),
  });
  return [
    ...(view.status === 'open' ? [button('Acknowledge', actionIds.acknowledge, 'primary')] : []),
    button('Record oversight', actionIds.record),
    button('Escalate', actionIds.escalate),
  ];
}
