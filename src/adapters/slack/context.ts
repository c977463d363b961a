import type { ReplyView } from '../../chat/views.ts';
import type { Actor } from '../../context.ts';
import { staffBySlackUser } from '../../directory/index.ts';
import { isAppError } from '../../errors.ts';
import type { Logger } from '../../logger.ts';
import { notInDirectory, refuseDeactivated } from '../../permissions.ts';
import type { Services } from '../../services.ts';

/** What every Slack listener gets: the domain's services and a logger. Nothing else. */
export type SlackDeps = { services: Services; logger: Logger };

/**
 * The actor behind a Slack user id, from the directory; someone marked as having left is refused
 * here (a `forbidden` error), whatever `where` they tried. Someone the directory does not know still
 * acts, as an anonymous Slack actor: the services refuse them as they refuse anyone not allowed,
 * and the attempt is audited (SPEC 'Who may do what'), as on Teams and the console.
 */
export async function slackActor(
  deps: SlackDeps,
  slackUserId: string | undefined,
  where: string,
): Promise<{ actor: Actor; known: boolean }> {
  const person = slackUserId ? await staffBySlackUser(deps.services.deps.db, slackUserId) : undefined;
  const actor: Actor = { staffCode: person?.code ?? null, surface: 'slack' };
  // A leaver is refused whatever they try (SPEC 'Directory'); the attempt is audited under their code.
  if (person && !person.active) await refuseDeactivated(deps.services.deps.db, actor, where);
  return { actor, known: Boolean(person) };
}

export const notInDirectoryReply: ReplyView = { ok: false, text: notInDirectory };

/**
 * Turns a failure into what the person is told: the message of an expected error (a refusal, a
 * conflict, invalid input), or an apology for anything else, whose details go to the log only.
 */
export function replyForError(deps: SlackDeps, error: unknown, where: string, known = true): ReplyView {
  if (isAppError(error)) {
    // Refused because the directory does not know them: say how to get added.
    if (error.code === 'forbidden' && !known) return notInDirectoryReply;
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
 * Runs `fn` as the directory's person behind a Slack user (or as an anonymous Slack actor, whom
 * the services refuse and audit), turning every failure into a polite reply. Returns the reply to
 * show, or null when there is nothing to say.
 */
export async function asSlackUser(
  deps: SlackDeps,
  slackUserId: string | undefined,
  where: string,
  fn: (actor: Actor) => Promise<ReplyView | null>,
): Promise<ReplyView | null> {
  let known = true;
  try {
    const who = await slackActor(deps, slackUserId, where);
    known = who.known;
    const reply = await fn(who.actor);
    // Anything an unknown person may do (help, say) still reminds them to get added.
    return known || !reply || !reply.ok ? reply : { ...reply, text: `${reply.text}\n${notInDirectory}` };
  } catch (error) {
    return replyForError(deps, error, where, known);
  }
}
