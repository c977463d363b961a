import type { TurnContext } from '@microsoft/agents-hosting';
import type { Database } from '../../../db/client.ts';
import type { Actor } from '../../context.ts';
import { type StaffRow, staffByAadObjectId } from '../../directory/index.ts';

/** `leaver` is set when the directory knows them but marks them as having left: refuse them. */
export type TeamsIdentity = { actor: Actor; person: StaffRow | undefined; leaver?: StaffRow };

/**
 * Who pressed or typed: Teams sends the person's Entra object id as `from.aadObjectId`, which the
 * directory maps to a member of staff. Unknown people still act as an (anonymous) Teams actor, so
 * their attempts are refused and audited like anyone else's.
 */
export async function identify(db: Database, context: TurnContext): Promise<TeamsIdentity> {
  const aad = context.activity.from?.aadObjectId;
  const person = aad ? await staffByAadObjectId(db, aad) : undefined;
  const known = person?.active ? person : undefined;
  const leaver = person && !person.active ? person : undefined;
  return { actor: { staffCode: known?.code ?? null, surface: 'msteams' }, person: known, leaver };
}
