import type { Database } from '../db/client.ts';
import { type Role, type Service, staff, teams } from '../db/schema/index.ts';

/** A member of staff and how each chat platform knows them. */
export type Person = { code: string; role: Role; team: string; slack: string; aad: string };

/** A team of the soak's directory, its channels, people and cases. */
export type SoakTeam = {
  code: string;
  service: Service;
  channel: string;
  conversation: string;
  managers: Person[];
  caseManagers: Person[];
  lead: Person;
  crns: string[];
};

/** The soak's directory: a few teams, each with managers, case managers and a lead on both platforms. */
export type World = { teams: SoakTeam[]; admin: Person; people: Person[] };

/** Someone neither platform's identity maps to: every attempt of theirs must be refused. */
export const stranger = { slack: 'U0NOBODY', aad: 'aad-nobody' };

const plan: Array<{ letter: string; service: Service }> = [
  { letter: 'N', service: 'youth' },
  { letter: 'S', service: 'youth' },
  { letter: 'E', service: 'youth' },
  { letter: 'W', service: 'youth' },
  { letter: 'A', service: 'adult' },
  { letter: 'B', service: 'adult' },
  { letter: 'C', service: 'adult' },
];

function person(letter: string, role: Role, kind: string, n: number): Person {
  const id = `${letter}${kind}${n}`;
  return {
    code: `soak-${id.toLowerCase()}`,
    role,
    team: `SOAK-${letter}`,
    slack: `U0${id}`,
    aad: `aad-${id}`,
  };
}

/** Builds the directory in memory (no names of real people: codes only). */
export function buildWorld(casesPerTeam: number): World {
  const built = plan.map(
    ({ letter, service }, t): SoakTeam => ({
      code: `SOAK-${letter}`,
      service,
      channel: `C0SOAK${letter}`,
      conversation: `19:soak-${letter.toLowerCase()}@thread.tacv2`,
      managers: [1, 2].map((n) => person(letter, 'manager', 'M', n)),
      caseManagers: [1, 2, 3].map((n) => person(letter, 'case_manager', 'C', n)),
      lead: person(letter, 'team_lead', 'L', 1),
      crns: Array.from(
        { length: casesPerTeam },
        (_, i) => `${letter}${String(t * 1000 + i + 100000).padStart(6, '0')}`,
      ),
    }),
  );
  const admin = person('N', 'admin', 'X', 1);
  const people = [admin, ...built.flatMap((t) => [...t.managers, ...t.caseManagers, t.lead])];
  return { teams: built, admin, people };
}

/** Writes the directory, with each team's Teams channel on the given service URL. */
export async function seedWorld(db: Database, world: World, teamsServiceUrl: string): Promise<void> {
  await db.insert(teams).values(
    world.teams.map((t) => ({
      code: t.code,
      name: `Soak team ${t.code}`,
      service: t.service,
      timezone: 'Europe/London',
      leadCode: t.lead.code,
      slackChannel: t.channel,
      msteamsConversationId: t.conversation,
      msteamsServiceUrl: teamsServiceUrl,
      msteamsTenantId: 'tenant-test',
    })),
  );
  await db.insert(staff).values(
    world.people.map((p) => ({
      code: p.code,
      name: `Staff ${p.code}`,
      role: p.role,
      teamCode: p.team,
      grade: p.role === 'case_manager' ? ('PO' as const) : ('SPO' as const),
      slackUserId: p.slack,
      msteamsAadObjectId: p.aad,
    })),
  );
}

/** The case manager of a case: fixed per CRN, so events never reallocate it. */
export function caseManagerOf(team: SoakTeam, crn: string): Person {
  const i = team.crns.indexOf(crn);
  return team.caseManagers[Math.max(0, i) % team.caseManagers.length]!;
}
