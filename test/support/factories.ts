import type { Database } from '../../db/client.ts';
import { cases, type Level, type Role, type Service, staff, teams } from '../../db/schema/index.ts';
import type { TriggerInput } from '../../src/oversight/index.ts';

/** Test data builders: each returns the row it made, with sensible defaults a test can override. */

export async function makeTeam(
  db: Database,
  overrides: Partial<typeof teams.$inferInsert> = {},
): Promise<typeof teams.$inferSelect> {
  const [row] = await db
    .insert(teams)
    .values({
      code: 'YOT-N',
      name: 'North YOT',
      service: 'youth',
      timezone: 'Europe/London',
      slackChannel: 'C0MANAGERS',
      ...overrides,
    })
    .returning();
  return row!;
}

export async function makeStaff(
  db: Database,
  code: string,
  role: Role,
  overrides: Partial<typeof staff.$inferInsert> = {},
): Promise<typeof staff.$inferSelect> {
  const [row] = await db
    .insert(staff)
    .values({ code, name: code, role, teamCode: 'YOT-N', grade: 'PO', ...overrides })
    .returning();
  return row!;
}

export async function makeCase(
  db: Database,
  crn: string,
  overrides: Partial<typeof cases.$inferInsert> & { service?: Service; rosh?: Level } = {},
): Promise<typeof cases.$inferSelect> {
  const [row] = await db
    .insert(cases)
    .values({
      crn,
      service: 'youth',
      teamCode: 'YOT-N',
      caseManagerCode: 'cm-ali',
      rosh: 'MEDIUM',
      ...overrides,
    })
    .returning();
  return row!;
}

/** The directory of the SPEC's example: one youth team with a manager, a case manager and a lead. */
export const exampleDirectoryYaml = `teams:
  - code: YOT-N
    name: North YOT
    service: youth
    timezone: Europe/London
    digest: { at: "08:30", days: [mon, tue, wed, thu, fri] }
    lead: tl-kim
    slack: { channel: C0MANAGERS }
    msteams: { conversationId: "19:abc@thread.tacv2", serviceUrl: "https://smba.trafficmanager.net/uk/" }
staff:
  - { code: mgr-sam, name: Sam Reed, role: manager, team: YOT-N, grade: SPO, slack: { user: U0SAM }, msteams: { aadObjectId: "6b7e-sam" } }
  - { code: cm-ali, name: Ali Shah, role: case_manager, team: YOT-N, grade: PO, slack: { user: U0ALI }, msteams: { aadObjectId: "0c41-ali" } }
  - { code: tl-kim, name: Kim Lowe, role: team_lead, team: YOT-N, grade: SPO, slack: { user: U0KIM } }
`;

const notApplicable = { rating: 'not_applicable' as const, note: '' };

/** The four assurances of a record, each not applicable: a record whose content a test ignores. */
export const notApplicableAssurances = {
  victimsProtected: notApplicable,
  assessmentAndPlanning: notApplicable,
  timelyAndResponsive: notApplicable,
  escalation: notApplicable,
};

/** The four assurances of a record: victims' protection found insufficient, the rest not applicable. */
export const exampleAssurances = {
  victimsProtected: { rating: 'insufficient' as const, note: 'Safety plan out of date' },
  assessmentAndPlanning: notApplicable,
  timelyAndResponsive: notApplicable,
  escalation: notApplicable,
};

/**
 * The trigger a required police arrest raises a request with: the harnesses' stand-in for a case
 * event when a test needs a notice but not the event API.
 */
export function arrestTrigger(eventId?: string): TriggerInput {
  return {
    kind: 'event',
    ...(eventId ? { eventId } : {}),
    type: 'police.arrest',
    category: 'police',
    rule: 'police-arrest',
    reason: 'Police arrest for a violence offence',
    policyVersion: 'test',
  };
}

/** The words SPEC 'Domain' gives every surface's record form as labels. */
export const specFormLabels = [
  'Victims protected',
  'Assessment and planning',
  'Timely and responsive',
  'Escalation',
  'Deficits identified',
  'Rationale',
  'Variance from procedure',
  'Reason for variance',
  'Evidence of oversight',
  'Action',
  'Owner',
  'Due date',
];
