import { linksUsable, recordLink } from '../../../tab/links.ts';
import { noticeCard } from '../cards/notice.ts';
import { para, run } from '../cards/text.ts';
import { type ActionHandler, requestIdOf } from './context.ts';

/**
 * A signed, expiring link to the case record page, for staff of the case's team only. It is
 * answered to the presser alone (an `Action.Execute` answer replaces the card only for them), so a
 * link made for one person is never shown to the channel.
 */
export const caseRecordAction: ActionHandler = async (deps, _context, action, who) => {
  const view = await deps.services.noticeView(requestIdOf(action));
  if (!who.person || who.person.teamCode !== view.teamCode) {
    return `Sorry, only staff of team ${view.teamCode} can open the oversight record of ${view.crn}.`;
  }
  if (!linksUsable(deps.config)) {
    return 'Sorry, links to the case record are switched off here: an admin must set LINK_SIGNING_SECRET.';
  }
  const now = deps.services.deps.now();
  const { url } = recordLink(deps.config, { crn: view.crn, staffCode: who.person.code }, now);
  const card = noticeCard(view);
  const hours = Math.max(1, Math.round(deps.config.recordLinkTtlMs / 3_600_000));
  card.body.push(
    para(
      [
        run(`Your link to the case record (only you can see it; valid for ${hours} hours).`, {
          isSubtle: true,
        }),
      ],
      {
        separator: true,
      },
    ),
  );
  card.actions = [...(card.actions ?? []), { type: 'Action.OpenUrl', title: 'Open case record', url }];
  return card;
};
