import { createHash } from 'node:crypto';
import type { AllMiddlewareArgs, SlackViewMiddlewareArgs, ViewSubmitAction } from '@slack/bolt';
import { submitRecord } from '../../../../interactions/record.ts';
import { replyForError, type SlackDeps, slackActor } from '../context.ts';
import { modalRequestId, readModalAnswers, type ViewStateValues } from '../render/record-form.ts';
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
    let known = true;
    try {
      const who = await slackActor(deps, body.user?.id, 'record.submit');
      known = who.known;
      const outcome = await submitRecord(
        deps.services,
        who.actor,
        modalRequestId(view.private_metadata),
        readModalAnswers(view.state.values as ViewStateValues),
        undefined,
        { replayKey: replayKey(body.user?.id, view) },
      );
      if (outcome.ok) {
        await ack({
          response_action: 'update',
          view: noticeModal('Oversight recorded', [outcome.reply.text, ...(outcome.reply.lines ?? [])]),
        });
      } else if (Object.keys(outcome.errors).length > 0) {
        await ack({ response_action: 'errors', errors: outcome.errors });
      } else {
        await ack({
          response_action: 'update',
          view: noticeModal('Not recorded', [outcome.message, ...outcome.unplaced]),
        });
      }
    } catch (error) {
      const reply = replyForError(deps, error, 'record.submit', known);
      await ack({ response_action: 'update', view: noticeModal('Not recorded', [reply.text]) });
    }
  };

/**
 * Slack's view id plus a hash of what was submitted names this submission: the same signed body
 * sent again makes no second record (a corrected resubmission has other values).
 */
function replayKey(userId: string | undefined, view: ViewSubmitAction['view']): string {
  const hash = createHash('sha256')
    .update(JSON.stringify([userId, view.private_metadata, view.state.values]))
    .digest('hex');
  return `slack:${view.id}:${hash}`;
}
