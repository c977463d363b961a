import { sql } from 'drizzle-orm';
import type { Database } from '../../db/client.ts';
import {
  actions,
  cases,
  oversightRecords,
  oversightRequests,
  requestTriggers,
  staff,
  teams,
} from '../../db/schema/index.ts';
import { localDate, overdueFrom } from '../../src/time.ts';
import { caseManagerOf, crnOf, shape, slackUserOf, teamCode, teamOfCase } from './mix.ts';

const tz = 'Europe/London';
const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);
const uuidOf = (kind: number, g: number) => `00000000-0000-4000-8${kind}00-${String(g).padStart(12, '0')}`;

async function inChunks<T>(rows: T[], insert: (chunk: T[]) => Promise<unknown>): Promise<void> {
  for (let i = 0; i < rows.length; i += 500) await insert(rows.slice(i, i + 500));
}

/**
 * The directory (20 youth teams, each with a lead, 2 managers and 8 case managers, all with a
 * Slack user id), 4,000 cases, and for the first 2,000 a recorded notice (one police trigger,
 * one record) with two actions owned by the case manager: one open, one marked done.
 */
export async function seed(db: Database): Promise<string> {
  const teamNos = range(1, shape.teams);
  await db.insert(teams).values(
    teamNos.map((t) => ({
      code: teamCode(t),
      name: `Bench team ${t}`,
      service: 'youth' as const,
      timezone: tz,
      leadCode: `tl-${t}`,
      slackChannel: `CBENCH${t}`,
    })),
  );
  const people = teamNos.flatMap((t) => [
    { code: `tl-${t}`, role: 'team_lead' as const, grade: 'SPO' as const, t },
    ...range(1, shape.managersPerTeam).map((m) => ({
      code: `mgr-${t}-${m}`,
      role: 'manager' as const,
      grade: 'SPO' as const,
      t,
    })),
    ...range(1, shape.caseManagersPerTeam).map((c) => ({
      code: `cm-${t}-${c}`,
      role: 'case_manager' as const,
      grade: 'PO' as const,
      t,
    })),
  ]);
  await db.insert(staff).values(
    people.map((p) => ({
      code: p.code,
      name: `Person ${p.code}`,
      role: p.role,
      grade: p.grade,
      teamCode: teamCode(p.t),
      slackUserId: slackUserOf(p.code),
    })),
  );
  await inChunks(range(1, shape.cases), (chunk) =>
    db.insert(cases).values(
      chunk.map((g) => ({
        crn: crnOf(g),
        service: 'youth' as const,
        teamCode: teamCode(teamOfCase(g)),
        caseManagerCode: caseManagerOf(g),
        caseManagerGrade: 'PO' as const,
        rosh: g % 3 === 0 ? ('HIGH' as const) : ('MEDIUM' as const),
        vulnerability: 'MEDIUM' as const,
      })),
    ),
  );

  const now = Date.now();
  const day = 86_400_000;
  const live = range(1, shape.liveCases);
  await inChunks(live, (chunk) =>
    db.insert(oversightRequests).values(
      chunk.map((g) => ({
        id: uuidOf(1, g),
        crn: crnOf(g),
        teamCode: teamCode(teamOfCase(g)),
        status: 'recorded' as const,
        openedAt: new Date(now - 10 * day),
        acknowledgeBy: new Date(now - 9 * day),
        acknowledgedBy: `mgr-${teamOfCase(g)}-1`,
        acknowledgedAt: new Date(now - 9.5 * day),
        recordedAt: new Date(now - 9 * day),
        slackChannel: `CBENCH${teamOfCase(g)}`,
        slackTs: `1800000000.${String(g).padStart(6, '0')}`,
      })),
    ),
  );
  await inChunks(live, (chunk) =>
    db.insert(requestTriggers).values(
      chunk.map((g) => ({
        requestId: uuidOf(1, g),
        kind: 'event' as const,
        eventId: `bench-${g}`,
        type: 'police.arrest',
        category: 'police',
        rule: 'youth.police_arrest',
        reason: 'Youth case: police arrest for a violence offence',
        policyVersion: 'bench',
        at: new Date(now - 10 * day),
      })),
    ),
  );
  const na = { rating: 'sufficient' as const, note: '' };
  await inChunks(live, (chunk) =>
    db.insert(oversightRecords).values(
      chunk.map((g) => ({
        id: uuidOf(2, g),
        requestId: uuidOf(1, g),
        crn: crnOf(g),
        by: `mgr-${teamOfCase(g)}-1`,
        at: new Date(now - 9 * day),
        assurances: {
          victimsProtected: na,
          assessmentAndPlanning: na,
          timelyAndResponsive: na,
          escalation: na,
        },
        rationale: 'Safety plan to be revised with the police before the next contact.',
        evidence: ['case_discussion' as const],
      })),
    ),
  );
  // One in five overdue (due up to 30 days ago), the rest due in the next 60 days.
  const due = (g: number) =>
    localDate(new Date(g % 5 === 0 ? now - ((g % 30) + 1) * day : now + (g % 60) * day), tz);
  const action = (g: number, ref: number, status: 'open' | 'done_claimed') => ({
    ref: `A${ref}`,
    requestId: uuidOf(1, g),
    recordId: uuidOf(2, g),
    crn: crnOf(g),
    teamCode: teamCode(teamOfCase(g)),
    description:
      status === 'open' ? 'Revise the safety plan with the police' : 'Share the plan with the school',
    ownerCode: caseManagerOf(g),
    setBy: `mgr-${teamOfCase(g)}-1`,
    dueDate: due(g),
    overdueFrom: overdueFrom(due(g), tz),
    status,
    ...(status === 'done_claimed'
      ? { doneBy: caseManagerOf(g), doneAt: new Date(now - day), doneEvidence: 'Plan sent to the school' }
      : {}),
  });
  await inChunks(live, (chunk) => db.insert(actions).values(chunk.map((g) => action(g, g, 'open'))));
  await inChunks(live, (chunk) =>
    db.insert(actions).values(chunk.map((g) => action(g, shape.liveCases + g, 'done_claimed'))),
  );
  await db.execute(sql`update action_ref_counter set last = ${2 * shape.liveCases}`);
  await db.execute(sql`analyze`);
  return `${shape.teams} teams, ${people.length} staff, ${shape.cases} cases, ${shape.liveCases} recorded notices with ${2 * shape.liveCases} actions`;
}
