import { openRecordForm, submitRecord } from '../../../../interactions/record.ts';
import { noticeCard } from '../cards/notice.ts';
import { cardAnswers, recordFormCard, submittedValues } from '../cards/record-form.ts';
import { type ActionHandler, requestIdOf } from './context.ts';

/** Record oversight: opens the form for a manager of the case's team; anyone else is refused (audited). */
export const recordAction: ActionHandler = async (deps, _context, action, who) =>
  recordFormCard(await openRecordForm(deps.services, who.actor, requestIdOf(action)));

/**
 * The form's Save: checked field by field, then stored by the record service in one transaction.
 * Invalid input returns the form with the manager's values and the errors; success shows the
 * updated notice.
 */
export const recordSubmitAction: ActionHandler = async (deps, _context, action, who) => {
  const data = action.data ?? {};
  const model = await openRecordForm(deps.services, who.actor, requestIdOf(action));
  const outcome = await submitRecord(
    deps.services,
    who.actor,
    model.requestId,
    cardAnswers(model, data),
    model,
  );
  if (outcome.ok) return noticeCard(await deps.services.noticeView(outcome.requestId));
  return recordFormCard(outcome.model, {
    values: submittedValues(data),
    errors: { message: outcome.message, byPath: outcome.errors, unplaced: outcome.unplaced },
  });
};
