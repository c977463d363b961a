import { eq } from 'drizzle-orm';
import { teams } from '../../db/schema/index.ts';
import { audit } from '../audit/index.ts';
import { queueDirect } from '../chat/index.ts';
import type { Actor } from '../context.ts';
import { conflict } from '../errors.ts';
import { actingStaff, refuse } from '../permissions.ts';
import { type Deps, transact } from '../unit-of-work.ts';
import { requestById } from './load.ts';

/** Staff of the case's team escalate a notice to their team lead, by direct message; audited. */
export async function escalate(
  deps: Deps,
  actor: Actor,
  input: { requestId: string },
): Promise<{ lead: string; crn: string }> {
  const request = await requestById(deps.db, input.requestId);
  const person = await actingStaff(deps.db, actor);
  if (!person || person.teamCode !== request.teamCode) {
    await refuse(
      deps.db,
      actor,
      { action: 'request.escalate', subjectType: 'request', subjectId: request.id, crn: request.crn },
      `Sorry, only staff of team ${request.teamCode} can escalate this notice.`,
    );
  }
  const [team] = await deps.db.select().from(teams).where(eq(teams.code, request.teamCode));
  if (!team?.leadCode)
    throw conflict(`Team ${request.teamCode} has no team lead in the directory; ask an admin to add one.`);
  return transact(deps, actor, async (ctx) => {
    await queueDirect(
      ctx,
      team.leadCode!,
      {
        kind: 'escalation',
        title: `Escalation: oversight notice for ${request.crn} (team ${request.teamCode})`,
        lines: [`Escalated by ${person!.name}. Status: ${request.status}.`],
        requestId: request.id,
        crn: request.crn,
      },
      { requestId: request.id },
    );
    await audit(ctx.db, ctx.actor, {
      action: 'request.escalated',
      subjectType: 'request',
      subjectId: request.id,
      crn: request.crn,
      detail: { to: team.leadCode },
    });
    return { lead: team.leadCode!, crn: request.crn };
  });
}
