import type { AllMiddlewareArgs, BlockButtonAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import { isManagerOf, staffByCode, teamStaff } from '../../../directory/index.ts';
import { managerOnly, refuse } from '../../../permissions.ts';
import { asSlackUser, type SlackDeps } from '../context.ts';
import { recordModal } from '../render/record-modal.ts';
import { respondEphemeral } from '../respond.ts';

type Args = SlackActionMiddlewareArgs<BlockButtonAction> & AllMiddlewareArgs;

/**
 * *Record oversight* on a notice opens the record form. Someone who may not record is refused
 * here (and the attempt audited) rather than after filling in the whole form; the record service
 * checks again on submission, which is what actually protects the record.
 */
export const recordOversightButton =
  (deps: SlackDeps) =>
  async ({ ack, body, action, respond, client }: Args): Promise<void> => {
    await ack();
    const reply = await asSlackUser(deps, body.user?.id, 'record.open', async (actor) => {
      const db = deps.services.deps.db;
      const notice = await deps.services.noticeView(action.value ?? '');
      const person = actor.staffCode ? await staffByCode(db, actor.staffCode) : undefined;
      if (!isManagerOf(person, notice.teamCode)) {
        await refuse(
          db,
          actor,
          { action: 'record.create', subjectType: 'request', subjectId: notice.requestId, crn: notice.crn },
          managerOnly('record oversight'),
        );
      }
      if (notice.status === 'closed') {
        return {
          ok: false,
          text: 'This notice is closed. To raise new concerns about the case, refer it again.',
        };
      }
      const staff = await teamStaff(db, notice.teamCode);
      // trigger_id is valid for 3 s after the press, so the form opens before anything slow.
      await client.views.open({ trigger_id: body.trigger_id, view: recordModal(notice, staff) });
      return null;
    });
    if (reply) await respondEphemeral(respond, reply);
  };
