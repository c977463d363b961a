import type { ReplyView } from '../src/chat/views.ts';
import type { CommandContext } from './context.ts';

/** A reply stays readable in chat; the rest are counted, not listed. */
const shownAtMost = 30;

/** `actions`: the caller's own open actions, overdue first. */
export async function actionsCommand(ctx: CommandContext): Promise<ReplyView> {
  const own = await ctx.services.ownActions(ctx.actor);
  if (own.length === 0) return { ok: true, text: 'You have no open actions.' };
  const overdue = own.filter((a) => a.overdue).length;
  const lines = own.slice(0, shownAtMost).map((a) => {
    const flags = [
      a.overdue ? 'OVERDUE' : '',
      a.status === 'done_claimed' ? 'done, awaiting confirmation' : '',
    ]
      .filter(Boolean)
      .join(', ');
    return `${a.ref} (${a.crn}) due ${a.dueDate}${flags ? ` [${flags}]` : ''}: ${a.description}`;
  });
  if (own.length > shownAtMost) lines.push(`…and ${own.length - shownAtMost} more.`);
  return {
    ok: true,
    text: `Your open actions: ${own.length}, of which ${overdue} overdue. Mark one done with: done REF evidence…`,
    lines,
  };
}
