import { when } from '../cards/format.ts';
import { noticeCard } from '../cards/notice.ts';
import { type ActionHandler, requestIdOf } from './context.ts';

/**
 * Acknowledge: the service's compare-and-set decides between two managers pressing at once; the
 * loser is told who got there first. The presser sees the new card at once; everyone else sees it
 * when the delivery worker updates the channel's copy.
 */
export const acknowledgeAction: ActionHandler = async (deps, _context, action, who) => {
  const result = await deps.services.acknowledge(who.actor, { requestId: requestIdOf(action) });
  const view = await deps.services.noticeView(result.requestId);
  if (result.status === 'already') {
    const by = view.acknowledged
      ? `${view.acknowledged.by.name}, ${when(view.acknowledged.at, view.timezone)}`
      : 'someone else';
    return `This notice for ${result.crn} was already acknowledged (${by}).`;
  }
  return noticeCard(view);
};
