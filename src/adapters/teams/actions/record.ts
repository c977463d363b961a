import { isManagerOf, teamStaff } from '../../../directory/index.ts';
import { conflict, isAppError } from '../../../errors.ts';
import { managerOnly, refuse } from '../../../permissions.ts';
import { noticeCard } from '../cards/notice.ts';
import { type RecordFormModel, recordFormCard } from '../cards/record-form.ts';
import { errorsByInput, recordInputFromCard, submittedValues } from '../cards/record-form-parse.ts';
import type { TeamsIdentity } from '../identity.ts';
import { type ActionHandler, type BotDeps, requestIdOf } from './context.ts';

/** Record oversight: opens the form for a manager of the case's team; anyone else is refused (audited). */
export const recordAction: ActionHandler = async (deps, _context, action, who) => {
  const model = await formModel(deps, requestIdOf(action), who);
  return recordFormCard(model);
};

/**
 * The form's Save: the record service validates and stores it in one transaction. Invalid input
 * returns the form with the manager's values and the errors; success shows the updated notice.
 */
export const recordSubmitAction: ActionHandler = async (deps, _context, action, who) => {
  const requestId = requestIdOf(action);
  const data = action.data ?? {};
  const supersedes = typeof data.supersedes === 'string' && data.supersedes ? data.supersedes : null;
  try {
    const result = await deps.services.record(who.actor, recordInputFromCard(data, requestId, supersedes));
    return noticeCard(await deps.services.noticeView(result.requestId));
  } catch (error) {
    if (!isAppError(error) || error.code !== 'invalid_input') throw error;
    const model = await formModel(deps, requestId, who);
    return recordFormCard({
      ...model,
      values: submittedValues(data),
      errors: { message: error.message, byInput: errorsByInput(error.fields) },
    });
  }
};

async function formModel(deps: BotDeps, requestId: string, who: TeamsIdentity): Promise<RecordFormModel> {
  const view = await deps.services.noticeView(requestId);
  if (!isManagerOf(who.person, view.teamCode)) {
    await refuse(
      deps.db,
      who.actor,
      { action: 'record.create', subjectType: 'request', subjectId: view.requestId, crn: view.crn },
      managerOnly('record oversight'),
    );
  }
  if (view.status === 'closed') {
    throw conflict(
      `The notice for ${view.crn} is closed. To raise new concerns about the case, refer it again.`,
    );
  }
  const record = await deps.services.caseRecord(view.crn);
  const latest = record.requests.find((r) => r.id === view.requestId)?.records.at(-1);
  const owners = await teamStaff(deps.db, view.teamCode);
  return {
    requestId: view.requestId,
    crn: view.crn,
    teamCode: view.teamCode,
    owners: owners.map((s) => ({ code: s.code, name: s.name })),
    supersedes: latest
      ? { id: latest.id, by: owners.find((o) => o.code === latest.by)?.name ?? latest.by }
      : null,
  };
}
