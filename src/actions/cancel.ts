import type { Actor } from '../context.ts';
import type { Deps } from '../unit-of-work.ts';
import { requiredText } from './text.ts';
import { describeState, managerOfActionTeam, type TransitionResult, transition } from './transition.ts';

/** A manager cancels an action, recording why it is no longer needed ("if not, why not"). */
export async function cancelAction(
  deps: Deps,
  actor: Actor,
  input: { ref: string; reason?: string },
): Promise<TransitionResult> {
  const reason = requiredText(input.reason, 'Reason', 'say why the action is no longer needed');
  return transition(deps, actor, input.ref, {
    verb: 'action.cancelled',
    attempt: 'action.cancel',
    from: ['open', 'done_claimed'],
    to: 'cancelled',
    allowed: managerOfActionTeam('cancel'),
    set: (person, now) => ({ reason, cancelledBy: person.code, cancelledAt: now }),
    wrongState: (action) => `${action.ref} is ${describeState[action.status]}.`,
  });
}
