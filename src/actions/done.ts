import { queueDirect } from '../chat/index.ts';
import type { Actor } from '../context.ts';
import { isManagerOf, teamStaff } from '../directory/index.ts';
import type { Deps } from '../unit-of-work.ts';
import { requiredText } from './text.ts';
import { describeState, type TransitionResult, transition } from './transition.ts';

/**
 * The action's owner (or a manager of the team) says it is done, with evidence. It is not finished
 * until a manager confirms it; the team's managers are told it awaits their confirmation.
 */
export async function markDone(
  deps: Deps,
  actor: Actor,
  input: { ref: string; evidence?: string },
): Promise<TransitionResult> {
  const evidence = requiredText(
    input.evidence,
    'Evidence',
    'say what was done, e.g. `done A12 safety plan updated`',
  );
  return transition(deps, actor, input.ref, {
    verb: 'action.done_claimed',
    attempt: 'action.done',
    from: ['open'],
    to: 'done_claimed',
    allowed: (person, action) =>
      person?.code === action.ownerCode || isManagerOf(person, action.teamCode)
        ? null
        : `Sorry, only ${action.ownerCode} (the action's owner) or a manager of team ${action.teamCode} can mark ${action.ref} done.`,
    set: (person, now) => ({ doneEvidence: evidence, doneBy: person.code, doneAt: now }),
    wrongState: (action) => `${action.ref} is ${describeState[action.status]}, so it cannot be marked done.`,
    async after(ctx, action, person) {
      const managers = await teamStaff(ctx.db, action.teamCode, 'manager');
      for (const manager of managers) {
        await queueDirect(
          ctx,
          manager.code,
          {
            kind: 'awaiting_confirmation',
            title: `${action.ref} (${action.crn}) is marked done and awaits your confirmation`,
            lines: [
              `Marked done by ${person.name}. Confirm with \`confirm ${action.ref}\` or reopen with a reason.`,
            ],
            requestId: action.requestId,
            crn: action.crn,
          },
          { actionId: action.id, dedupeKey: `done:${action.id}:v${action.version}:${manager.code}` },
        );
      }
    },
  });
}
