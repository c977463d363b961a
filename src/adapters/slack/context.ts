import type { ReplyView } from '../../chat/views.ts';
import type { Actor } from '../../context.ts';
import { staffBySlackUser } from '../../directory/index.ts';
import { isAppError } from '../../errors.ts';
import type { Logger } from '../../logger.ts';
import { notInDirectory } from '../../permissions.ts';
import type { Services } from '../../services.ts';

/** What every Slack listener gets: the domain's services and a logger. Nothing else. */
export type SlackDeps = { services: Services; logger: Logger };

/** The actor behind a Slack user id, from the directory; undefined when the directory does not know them. */
export async function slackActor(
  deps: SlackDeps,
  slackUserId: string | undefined,
): Promise<Actor | undefined> {
  if (!slackUserId) return undefined;
  const person = await staffBySlackUser(deps.services.deps.db, slackUserId);
  return person ? { staffCode: person.code, surface: 'slack' } : undefined;
}

export const notInDirectoryReply: ReplyView = { ok: false, text: notInDirectory };

/**
 * Turns a failure into what the person is told: the message of an expected error (a refusal, a
 * conflict, invalid input), or an apology for anything else, whose details go to the log only.
 */
export function replyForError(deps: SlackDeps, error: unknown, where: string): ReplyView {
  if (isAppError(error)) {
    return { ok: false, text: error.message, lines: error.fields.map((f) => `${f.path}: ${f.message}`) };
  }
  // Name and code only: a driver's message can quote the values of the query, i.e. case data.
  const e = error as { name?: string; code?: unknown };
  deps.logger.error({ err: { name: e?.name, code: e?.code }, where }, 'slack handler failed');
  return {
    ok: false,
    text: 'Sorry, something went wrong and nothing was changed. It has been logged; please try again.',
  };
}

/**
 * Runs `fn` as the directory's person behind a Slack user, turning an unknown user and every
 * failure into a polite reply. Returns the reply to show, or null when there is nothing to say.
 */
export async function asSlackUser(
  deps: SlackDeps,
  slackUserId: string | undefined,
  where: string,
  fn: (actor: Actor) => Promise<ReplyView | null>,
): Promise<ReplyView | null> {
  try {
    const actor = await slackActor(deps, slackUserId);
    if (!actor) return notInDirectoryReply;
    return await fn(actor);
  } catch (error) {
    return replyForError(deps, error, where);
  }
}
