import type { Actor } from '../context.ts';
import type { Deps } from '../unit-of-work.ts';
import { requiredText } from './text.ts';
import { describeState, managerOfActionTeam, type TransitionResult, transition } from './transition.ts';

/** A manager sends a claimed action back to open, with a reason; its reminders resume. */
export async function reopenAction(
  deps: Deps,
  actor: Actor,
  input: { ref: string; reason?: string },
): Promise<TransitionResult> {
  const reason = requiredText(
    input.reason,
    'Reason',
    'say why it is not done yet, e.g. `reopen A12 plan not shared with police`',
  );
  return transition(deps, actor, input.ref, {
    verb: 'action.reopened',
    attempt: 'action.reopen',
    from: ['done_claimed'],
    to: 'open',
    allowed: managerOfActionTeam('reopen'),
    set: () => ({ reason, doneAt: null, doneBy: null, escalatedAt: null }),
    wrongState: (action) =>
      action.status === 'open'
        ? `${action.ref} is already open.`
        : `${action.ref} is ${describeState[action.status]}.`,
  });
}
