import { noticeCard } from '../cards/notice.ts';
import { type ActionHandler, requestIdOf } from './context.ts';

/** Shows the notice as it is now (also the form's Cancel). */
export const refreshAction: ActionHandler = async (deps, _context, action) =>
  noticeCard(await deps.services.noticeView(requestIdOf(action)));
