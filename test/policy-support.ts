import type { Level, Service } from '../db/schema/index.ts';
import type { CaseEvent } from '../src/cases/index.ts';
import { type CaseState, loadPolicy, parsePolicy } from '../src/policy/index.ts';
import { isoDaysAfter } from './support/dates.ts';

/** When a test event occurred unless it says otherwise: a day before the test file started. */
const eventTime = isoDaysAfter(-1);

/** Builders for policy tests: a case state, an event of any type, and the built-in policy. */

export const policy = loadPolicy();

/** The built-in policy with some values replaced (YAML text, so it goes through validation). */
export function policyWith(replace: Record<string, string>): ReturnType<typeof loadPolicy> {
  let text = `version: "test-1"
thresholds:
  youth: { rosh: MEDIUM, vulnerability: MEDIUM }
  adult: { rosh: HIGH }
police: { requiredOffenceCategories: [violence, sexual, weapons, arson, domestic_abuse] }
registrations: { required: [domestic_abuse, child_protection, child_concerns, mappa, risk_to_staff, public_protection] }
allocation: { minimumGrade: { HIGH: PO, VERY_HIGH: PO } }
timings: { acknowledgeWithin: 1d, escalateUnacknowledgedAfter: 2d, remindBeforeDue: 1d, repeatOverdueEvery: 1d, escalateOverdueAfter: 3d, remindAwaitingConfirmationEvery: 1d, noOversightWithin: 5d }
`;
  for (const [from, to] of Object.entries(replace)) text = text.replace(from, to);
  return parsePolicy('test-policy.yaml', text);
}

export function state(overrides: Partial<CaseState> & { service: Service }): CaseState {
  return {
    teamCode: overrides.service === 'youth' ? 'YOT-N' : 'PDU-E',
    caseManagerCode: 'cm-ali',
    caseManagerGrade: null,
    rosh: null,
    vulnerability: null,
    flags: [],
    watchSince: null,
    watchReason: null,
    ...overrides,
  };
}

type DataOf<T extends CaseEvent['type']> = Extract<CaseEvent, { type: T }>['data'];

let seq = 0;
/** A valid event of `type` on a case of `service`. */
export function caseEvent<T extends CaseEvent['type']>(
  service: Service,
  type: T,
  data: DataOf<T>,
  overrides: { crn?: string; caseManager?: string; occurredAt?: string } = {},
): Extract<CaseEvent, { type: T }> {
  seq++;
  return {
    id: `ev-${seq}`,
    source: 'test-feed',
    type,
    occurredAt: overrides.occurredAt ?? eventTime,
    case: {
      crn: overrides.crn ?? 'X123456',
      service,
      team: service === 'youth' ? 'YOT-N' : 'PDU-E',
      caseManager: overrides.caseManager ?? 'cm-ali',
    },
    data,
  } as Extract<CaseEvent, { type: T }>;
}

export const assessed = (service: Service, rosh: Level, vulnerability?: Level) =>
  caseEvent(service, 'risk.assessed', vulnerability ? { rosh, vulnerability } : { rosh });
