import { createHash } from 'node:crypto';
import type { AllMiddlewareArgs, SlackViewMiddlewareArgs, ViewSubmitAction } from '@slack/bolt';
import { isAppError } from '../../../errors.ts';
import { replyForError, type SlackDeps, slackActor } from '../context.ts';
import { formErrors, readRecordForm, type ViewStateValues } from '../render/record-form.ts';
import { noticeModal } from '../render/record-modal.ts';

type Args = SlackViewMiddlewareArgs<ViewSubmitAction> & AllMiddlewareArgs;

/**
 * Submission of the Record-oversight modal. The record is saved (or refused) before Slack is
 * answered, because invalid input must come back as inline errors (`response_action: errors`)
 * in that very answer; nothing is stored unless the whole record is valid.
 */
export const recordOversightSubmission =
  (deps: SlackDeps) =>
  async ({ ack, body, view }: Args): Promise<void> => {
    let who: Awaited<ReturnType<typeof slackActor>>;
    try {
      who = await slackActor(deps, body.user?.id);
    } catch (error) {
      const reply = replyForError(deps, error, 'record.submit');
      await ack({ response_action: 'update', view: noticeModal('Not recorded', [reply.text]) });
      return;
    }
    const { actor, known } = who;
    const form = readRecordForm(view.state.values as ViewStateValues, view.private_metadata);
    try {
      // Slack's view id plus a hash of what was submitted names this submission: the same signed
      // body sent again makes no second record (a corrected resubmission has other values).
      const replayKey = `slack:${view.id}:${createHash('sha256')
        .update(JSON.stringify([body.user?.id, view.private_metadata, view.state.values]))
        .digest('hex')}`;
      const result = await deps.services.record(actor, form.input, { replayKey });
      const lines = [
        `Oversight of ${result.crn} is recorded.`,
        ...result.actions.map(
          (a) => `${a.ref}: owner ${a.owner}, due ${a.due}${a.overdue ? ' (already overdue)' : ''}`,
        ),
        result.status === 'closed' ? 'No actions are open, so the notice is closed.' : '',
      ].filter(Boolean);
      await ack({ response_action: 'update', view: noticeModal('Oversight recorded', lines) });
    } catch (error) {
      if (isAppError(error) && error.code === 'invalid_input') {
        const { errors, unplaced } = formErrors(error.fields, form.actionSlots);
        if (Object.keys(errors).length > 0) {
          await ack({ response_action: 'errors', errors });
          return;
        }
        await ack({
          response_action: 'update',
          view: noticeModal('Not recorded', [error.message, ...unplaced]),
        });
        return;
      }
      const reply = replyForError(deps, error, 'record.submit', known);
      await ack({ response_action: 'update', view: noticeModal('Not recorded', [reply.text]) });
    }
  };
