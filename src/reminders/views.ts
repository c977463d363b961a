import type { MessageView } from '../chat/index.ts';
import type { PolicyTimings } from '../policy/index.ts';
import { formatLocal } from '../time.ts';
import type { ActionReminder } from './plan.ts';

/**
 * Reminder and escalation messages. Each names the notice's CRN or the action's ref (and staff,
 * who may be mentioned), never free text of events or of the action: chat is not the record, and
 * the person acts on it through `status CRN` or `actions` (SPEC 'Data minimisation').
 */

type RequestFacts = { id: string; crn: string; teamCode: string; openedAt: Date; acknowledgeBy: Date };
type ActionFacts = {
  ref: string;
  crn: string;
  requestId: string;
  teamCode: string;
  dueDate: string;
  doneAt: Date | null;
};

/** In the notice's thread while no manager has acknowledged it. */
export function unacknowledgedReminder(r: RequestFacts, timezone: string, count: number): MessageView {
  return {
    kind: 'reminder',
    title: `Reminder: the oversight notice for ${r.crn} is not acknowledged yet`,
    lines: [
      `Raised ${formatLocal(r.openedAt, timezone)}; it was to be acknowledged by ${formatLocal(r.acknowledgeBy, timezone)}.`,
      `A manager of team ${r.teamCode}: acknowledge it or record oversight.${count > 1 ? ` (reminder ${count})` : ''}`,
    ],
    requestId: r.id,
    crn: r.crn,
  };
}

/** To the team lead when nobody has acknowledged a notice in time. */
export function unacknowledgedEscalation(r: RequestFacts, timezone: string, t: PolicyTimings): MessageView {
  return {
    kind: 'escalation',
    title: `Escalation: the oversight notice for ${r.crn} (team ${r.teamCode}) is not acknowledged`,
    lines: [
      `Raised ${formatLocal(r.openedAt, timezone)}; no manager has acknowledged it within ${t.escalateUnacknowledgedAfter.text}.`,
    ],
    requestId: r.id,
    crn: r.crn,
  };
}

/** To the action's owner before it is due and while it is overdue; to its setter while it awaits confirmation. */
export function actionReminder(a: ActionFacts, kind: ActionReminder, timezone: string): MessageView {
  const base = { requestId: a.requestId, crn: a.crn };
  if (kind === 'awaiting_confirmation') {
    return {
      ...base,
      kind: 'awaiting_confirmation',
      title: `${a.ref} (${a.crn}) still awaits your confirmation`,
      lines: [
        `Marked done${a.doneAt ? ` ${formatLocal(a.doneAt, timezone)}` : ''}. Confirm with \`confirm ${a.ref}\`, or reopen it with a reason.`,
      ],
    };
  }
  const title =
    kind === 'overdue'
      ? `Overdue: ${a.ref} (${a.crn}) was due on ${a.dueDate}`
      : `Reminder: ${a.ref} (${a.crn}) is due on ${a.dueDate}`;
  return {
    ...base,
    kind: 'reminder',
    title,
    lines: [`When it is done, say so with evidence: \`done ${a.ref} what was done\`.`],
  };
}

/** To the team lead when an action stays overdue. */
export function overdueEscalation(a: ActionFacts, owner: string, t: PolicyTimings): MessageView {
  return {
    kind: 'escalation',
    title: `Escalation: ${a.ref} (${a.crn}, team ${a.teamCode}) is overdue`,
    lines: [
      `Due on ${a.dueDate}, owner ${owner}; still open ${t.escalateOverdueAfter.text} after it became overdue.`,
    ],
    requestId: a.requestId,
    crn: a.crn,
  };
}
