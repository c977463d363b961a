import type { AdaptiveCard } from '@microsoft/agents-hosting';
import type { NoticeView } from '../../../chat/views.ts';
import { verbs } from '../verbs.ts';
import { actionStatusText, level, requestStatusText, when } from './format.ts';
import { type Element, field, heading, para, run } from './text.ts';

/**
 * The oversight notice as an Adaptive Card: CRN, levels, triggers and rule, case manager and the
 * acknowledge-by time; never names of people on probation or event free text (SPEC 'Data
 * minimisation'). Buttons carry the request id, so an action finds its request from its data.
 */
export function noticeCard(view: NoticeView): AdaptiveCard {
  const tz = view.timezone;
  const body: Element[] = [
    heading(`Oversight required: ${view.crn}`, 'Large'),
    field('Service', `${view.service} (team ${view.teamCode})`),
    field('RoSH', level(view.rosh)),
    ...(view.service === 'youth' ? [field('Vulnerability', level(view.vulnerability))] : []),
    field('Case manager', view.caseManager?.name ?? 'not allocated'),
    field('Status', requestStatusText[view.status]),
  ];
  if (view.status === 'open') body.push(field('Acknowledge by', when(view.acknowledgeBy, tz)));
  body.push(heading(view.triggers.length === 1 ? 'Trigger' : 'Triggers'));
  for (const t of view.triggers) {
    body.push(
      para([run(`${t.category}: `, { weight: 'Bolder' }), run(t.reason)], { spacing: 'None' }),
      para([run(`rule ${t.rule}, policy ${t.policyVersion}, ${when(t.at, tz)}`, { isSubtle: true })], {
        spacing: 'None',
      }),
    );
  }
  if (view.acknowledged) {
    body.push(field('Acknowledged', `${view.acknowledged.by.name}, ${when(view.acknowledged.at, tz)}`));
  }
  if (view.recorded)
    body.push(field('Oversight recorded', `${view.recorded.by.name}, ${when(view.recorded.at, tz)}`));
  if (view.actions.length > 0) {
    body.push(heading('Remedial actions'));
    for (const a of view.actions) {
      const overdue = a.overdue ? ' (overdue)' : '';
      body.push(
        para(
          [
            run(`${a.ref} `, { weight: 'Bolder' }),
            run(`${actionStatusText[a.status]}${overdue}, ${a.owner.name}, due ${a.dueDate}`, {
              ...(a.overdue ? { color: 'Attention' as const } : {}),
            }),
          ],
          { spacing: 'None' },
        ),
      );
    }
  }
  if (view.closedAt) body.push(field('Closed', when(view.closedAt, tz)));
  return {
    type: 'AdaptiveCard',
    $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
    version: '1.5',
    body,
    actions: noticeButtons(view),
  };
}

function noticeButtons(view: NoticeView): Element[] {
  const data = { requestId: view.requestId };
  const button = (title: string, verb: string, style?: 'positive') => ({
    type: 'Action.Execute',
    title,
    verb,
    data,
    ...(style ? { style } : {}),
  });
  const buttons: Element[] = [];
  if (view.status === 'open') buttons.push(button('Acknowledge', verbs.acknowledge, 'positive'));
  if (view.status !== 'closed') {
    buttons.push(button('Record oversight', verbs.record), button('Escalate', verbs.escalate));
  }
  buttons.push(button('Case record', verbs.caseRecord));
  return buttons;
}
