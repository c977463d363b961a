import type { Actor } from '../context.ts';
import type { Deps } from '../unit-of-work.ts';
import { describeState, managerOfActionTeam, type TransitionResult, transition } from './transition.ts';

/** A manager confirms the action was done: the only way it stops being chased, besides cancelling. */
export async function confirmAction(
  deps: Deps,
  actor: Actor,
  input: { ref: string },
): Promise<TransitionResult> {
  return transition(deps, actor, input.ref, {
    verb: 'action.confirmed',
    attempt: 'action.confirm',
    from: ['open', 'done_claimed'],
    to: 'confirmed',
    allowed: managerOfActionTeam('confirm'),
    set: (person, now) => ({ confirmedBy: person.code, confirmedAt: now }),
    wrongState: (action) => `${action.ref} is ${describeState[action.status]}.`,
  });
}
