import type { ReplyView } from '../src/chat/views.ts';
import { type FieldError, isAppError } from '../src/errors.ts';
import { usageLine } from './help.ts';
import type { CommandName } from './parse.ts';

/** Said when something unexpected failed: no detail, since it could carry personal data or internals. */
export const apology =
  'Sorry, something went wrong on our side and I could not do that. Please try again in a minute; if it keeps happening, tell your admin.';

/** A field hint such as `crn: must be a letter and six digits`, without repeating the field's name. */
const hint = (f: FieldError) =>
  f.message.toLowerCase().startsWith(f.path.toLowerCase()) ? f.message : `${f.path}: ${f.message}`;

/**
 * Maps a failure to a polite reply for the person who typed the command. Expected failures
 * (AppError) carry a message written for them; anything else gets a generic apology.
 */
export function replyForError(error: unknown, command?: CommandName): ReplyView {
  if (!isAppError(error)) return { ok: false, text: apology };
  if (error.code === 'invalid_input') {
    const hints = error.fields.map(hint).filter((h) => h !== error.message);
    return { ok: false, text: error.message, lines: [...hints, ...(command ? [usageLine(command)] : [])] };
  }
  // forbidden (the refusal, already audited), not_found, conflict and the rest say it themselves.
  return { ok: false, text: error.message };
}

/** Added to a confirm or cancel reply when it settled the last action of the notice. */
export const requestClosedLine =
  'Every action of this notice is now confirmed or cancelled, so the notice is closed.';
