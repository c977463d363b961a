import type { evidenceKinds, ratings } from '../../../../db/schema/index.ts';

/** The record form's inputs: ids in the card, and the SPEC's labels ('Domain': forms use these words). */

export const assuranceFields = [
  { key: 'victimsProtected', label: 'Victims protected' },
  { key: 'assessmentAndPlanning', label: 'Assessment and planning' },
  { key: 'timelyAndResponsive', label: 'Timely and responsive' },
  { key: 'escalation', label: 'Escalation' },
] as const;

export type AssuranceKey = (typeof assuranceFields)[number]['key'];

export const labels = {
  deficits: 'Deficits identified',
  rationale: 'Rationale',
  varianceProcedure: 'Variance from procedure',
  varianceReason: 'Reason for variance',
  evidence: 'Evidence of oversight',
  action: 'Action',
  owner: 'Owner',
  due: 'Due date',
} as const;

export const ratingTitles: Record<(typeof ratings)[number], string> = {
  sufficient: 'Sufficient',
  insufficient: 'Insufficient',
  not_applicable: 'Not applicable',
};

export const evidenceTitles: Record<(typeof evidenceKinds)[number], string> = {
  assessment_revised: 'Assessment revised',
  case_discussion: 'Case discussion',
  direct_observation: 'Direct observation',
  interagency_communication: 'Interagency communication',
  other: 'Other',
};

/** How many remedial action rows the card offers (more can be added by a correction). */
export const actionRows = 3;

export const inputIds = {
  rating: (key: AssuranceKey) => `${key}_rating`,
  note: (key: AssuranceKey) => `${key}_note`,
  deficits: 'deficits',
  rationale: 'rationale',
  varianceProcedure: 'varianceProcedure',
  varianceReason: 'varianceReason',
  evidence: 'evidence',
  action: (row: number) => `action${row + 1}_description`,
  owner: (row: number) => `action${row + 1}_owner`,
  due: (row: number) => `action${row + 1}_due`,
};

/** The card input a validation error's path (`assurances.escalation.rating`, `actions[1].owner`) belongs to. */
export function inputIdForPath(path: string): string | undefined {
  const assurance = /^assurances\.(\w+)\.(rating|note)$/.exec(path);
  if (assurance) return `${assurance[1]}_${assurance[2]}`;
  const action = /^actions\[(\d+)\]\.(description|owner|due)$/.exec(path);
  if (action) return `action${Number(action[1]) + 1}_${action[2]}`;
  const fixed: Record<string, string> = {
    deficits: inputIds.deficits,
    rationale: inputIds.rationale,
    'variance.procedure': inputIds.varianceProcedure,
    'variance.reason': inputIds.varianceReason,
    evidence: inputIds.evidence,
  };
  return fixed[path] ?? (/^evidence\[\d+\]$/.test(path) ? inputIds.evidence : undefined);
}
