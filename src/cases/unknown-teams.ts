import { inArray } from 'drizzle-orm';
import type { Database } from '../../db/client.ts';
import { teams } from '../../db/schema/index.ts';
import { invalid } from '../errors.ts';
import { type CaseEventRequest, eventFieldPath } from './parse.ts';

/**
 * Throws a 400 naming every event whose team is not in the directory; returns when all are known
 * (the caller then rethrows whatever else went wrong).
 */
export async function explainUnknownTeams(db: Database, request: CaseEventRequest): Promise<void> {
  const codes = [...new Set(request.events.map((e) => e.case.team))];
  const known = new Set(
    (await db.select({ code: teams.code }).from(teams).where(inArray(teams.code, codes))).map((t) => t.code),
  );
  const fields = request.events.flatMap((event, index) =>
    known.has(event.case.team)
      ? []
      : [
          {
            path: eventFieldPath(request.batch, index, ['case', 'team']),
            message: `unknown team "${event.case.team}"; load it with \`oversight directory load\``,
          },
        ],
  );
  if (fields.length > 0)
    throw invalid('a case names a team the directory does not hold; nothing was stored', fields);
}
