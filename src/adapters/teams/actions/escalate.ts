import { staffByCode } from '../../../directory/index.ts';
import { type ActionHandler, requestIdOf } from './context.ts';

/** Escalate: the team lead is told by direct message (queued by the service); the presser is told so. */
export const escalateAction: ActionHandler = async (deps, _context, action, who) => {
  const result = await deps.services.escalate(who.actor, { requestId: requestIdOf(action) });
  const lead = await staffByCode(deps.db, result.lead);
  return `Escalated: ${lead?.name ?? result.lead} (team lead) has been sent the notice for ${result.crn}.`;
};
