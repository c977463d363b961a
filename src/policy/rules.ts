import type { Outcome } from '../../db/schema/index.ts';
import type { Policy } from './schemas.ts';

/** Stable ids of the policy's rules; each outcome names one, so every notice can say why it exists. */
export const ruleIds = [
  'youth.rosh_threshold',
  'youth.vulnerability_threshold',
  'youth.rising_below_threshold',
  'youth.below_threshold',
  'adult.rosh_threshold',
  'adult.rising_below_threshold',
  'adult.below_threshold',
  'police.required_offence',
  'police.domestic_abuse_callout',
  'police.other',
  'court.serious_offence',
  'court.other',
  'screening.raised_risk',
  'screening.no_indicators',
  'registration.required_type',
  'registration.other',
  'allocation',
  'forum.held',
  'referral',
] as const;
export type RuleId = (typeof ruleIds)[number];

/** The short category chat shows for a trigger (never the event's own words). */
export type Category =
  | 'risk'
  | 'police'
  | 'court'
  | 'screening'
  | 'registration'
  | 'allocation'
  | 'forum'
  | 'referral';

export type RuleDescription = { id: RuleId; outcomes: Outcome[]; when: string };

/** What each rule does under this policy, for `oversight policy check` and the documentation. */
export function describeRules(policy: Policy): RuleDescription[] {
  const { youth, adult } = policy.thresholds;
  const minimums = Object.entries(policy.allocation.minimumGrade)
    .map(([level, grade]) => `${level} needs ${grade}`)
    .join(', ');
  return [
    {
      id: 'youth.rosh_threshold',
      outcomes: ['required'],
      when: `youth case assessed RoSH ${youth.rosh} or above`,
    },
    {
      id: 'youth.vulnerability_threshold',
      outcomes: ['required'],
      when: `youth case assessed vulnerability ${youth.vulnerability} or above`,
    },
    {
      id: 'youth.rising_below_threshold',
      outcomes: ['watch'],
      when: 'youth case whose level rises but stays below its threshold (watch list)',
    },
    { id: 'youth.below_threshold', outcomes: ['none'], when: 'youth case assessed below both thresholds' },
    {
      id: 'adult.rosh_threshold',
      outcomes: ['required'],
      when: `adult case assessed RoSH ${adult.rosh} or above`,
    },
    {
      id: 'adult.rising_below_threshold',
      outcomes: ['watch'],
      when: 'adult case whose RoSH rises but stays below the threshold (watch list)',
    },
    { id: 'adult.below_threshold', outcomes: ['none'], when: 'adult case assessed below the threshold' },
    {
      id: 'police.required_offence',
      outcomes: ['required'],
      when: `police arrest or charge for: ${policy.police.requiredOffenceCategories.join(', ')}`,
    },
    {
      id: 'police.domestic_abuse_callout',
      outcomes: ['required'],
      when: 'police call-out flagged domestic abuse',
    },
    { id: 'police.other', outcomes: ['watch'], when: 'any other police arrest, charge or call-out' },
    {
      id: 'court.serious_offence',
      outcomes: ['required'],
      when: 'further court appearance for a serious offence',
    },
    { id: 'court.other', outcomes: ['watch'], when: 'any other further court appearance' },
    {
      id: 'screening.raised_risk',
      outcomes: ['required'],
      when: 'raised-risk indicators at initial screening',
    },
    {
      id: 'screening.no_indicators',
      outcomes: ['none'],
      when: 'initial screening without raised-risk indicators',
    },
    {
      id: 'registration.required_type',
      outcomes: ['required'],
      when: `registration added for: ${policy.registrations.required.join(', ')}`,
    },
    { id: 'registration.other', outcomes: ['none'], when: 'any other registration (kept as a flag)' },
    {
      id: 'allocation',
      outcomes: ['required', 'none'],
      when: `case at or above threshold allocated below the minimum grade (${minimums || 'no minimums set'}; PQiP < PSO < NQO < PO < SPO)`,
    },
    {
      id: 'forum.held',
      outcomes: ['none'],
      when: "a risk management forum was held: recorded, but no substitute for the manager's oversight",
    },
    { id: 'referral', outcomes: ['required'], when: 'a referral by staff, always' },
  ];
}
