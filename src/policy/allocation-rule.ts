import type { CaseEvent } from '../cases/schemas.ts';
import { atOrAboveThreshold, gradeRank, highestLevel, minimumGradeFor } from './case-state.ts';
import type { Decision, RuleInput } from './decision.ts';
import { levelLabel, serviceLabel } from './wording.ts';

/**
 * `case.allocated`: a case at or above the threshold allocated to a practitioner below the
 * policy's minimum grade for its level needs the manager's oversight of that allocation.
 */
export function allocationRule({
  next,
  event,
  policy,
}: RuleInput<Extract<CaseEvent, { type: 'case.allocated' }>>): Decision {
  const who = serviceLabel(next.service);
  const grade = event.data.grade;
  const level = highestLevel(policy, next);
  if (!level || !atOrAboveThreshold(policy, next)) {
    return {
      outcome: 'none',
      rule: 'allocation',
      reason: `${who}: allocation to a practitioner graded ${grade}; the case is below the oversight threshold`,
      category: 'allocation',
    };
  }
  const minimum = minimumGradeFor(policy, level);
  if (minimum && gradeRank(grade) < gradeRank(minimum)) {
    return {
      outcome: 'required',
      rule: 'allocation',
      reason: `${who}: allocation of a ${levelLabel(level)} case to a practitioner graded ${grade}, below the minimum grade ${minimum}`,
      category: 'allocation',
    };
  }
  return {
    outcome: 'none',
    rule: 'allocation',
    reason: `${who}: allocation of a ${levelLabel(level)} case to a practitioner graded ${grade} meets the minimum grade${minimum ? ` ${minimum}` : ''}`,
    category: 'allocation',
  };
}
