import type { Role } from '../../db/schema/index.ts';
import { audit } from '../audit/index.ts';
import type { ReplyView } from '../chat/views.ts';
import type { Actor } from '../context.ts';
import { actingStaff, notInDirectory } from '../permissions.ts';
import type { Deps } from '../unit-of-work.ts';
import { buildDigest } from './build.ts';
import { digestReply } from './view.ts';

/**
 * The digest lists CRNs and staff across the whole team, so it is for the people who oversee the
 * team; a case manager has `/oversight actions` for their own work.
 */
/** A ReplyView that also carries `title`, for callers that read it as a message (commands/digest.ts). */
export type DigestReply = ReplyView & { title: string };

const refusal = (text: string): DigestReply => ({ ok: false, text, title: text });

const mayReadDigest: readonly Role[] = ['manager', 'team_lead', 'admin'];

/** `/oversight digest`: the caller's team digest, now, as a reply only they see. Refusals are audited. */
export async function digestFor(deps: Deps, actor: Actor): Promise<DigestReply> {
  const person = await actingStaff(deps.db, actor);
  if (!person) return refusal(notInDirectory);
  if (!mayReadDigest.includes(person.role)) {
    await audit(deps.db, actor, {
      action: 'digest.read.refused',
      subjectType: 'team',
      subjectId: person.teamCode,
      detail: { role: person.role },
    });
    return refusal(
      'Sorry, the team digest is for managers and team leads. Type `actions` for your own actions.',
    );
  }
  const digest = await buildDigest(deps.db, person.teamCode, {
    now: deps.now(),
    timings: deps.policy.timings,
  });
  return digestReply(digest);
}
