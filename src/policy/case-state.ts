import { type Grade, grades, type Level, levels, type Service } from '../../db/schema/index.ts';
import type { Policy } from './schemas.ts';

/** What the policy knows of a case: the `cases` row without bookkeeping columns. */
export type CaseState = {
  service: Service;
  teamCode: string;
  caseManagerCode: string | null;
  caseManagerGrade: Grade | null;
  rosh: Level | null;
  vulnerability: Level | null;
  flags: string[];
  watchSince: Date | null;
  watchReason: string | null;
};

export type Dimension = 'rosh' | 'vulnerability';

export const levelRank = (level: Level): number => levels.indexOf(level);
export const gradeRank = (grade: Grade): number => grades.indexOf(grade);

/** The levels that carry a threshold for the service: youth has two (RoSH and vulnerability), adult one. */
export function thresholdsFor(policy: Policy, service: Service): Array<{ dim: Dimension; threshold: Level }> {
  if (service === 'youth') {
    const t = policy.thresholds.youth;
    return [
      { dim: 'rosh', threshold: t.rosh },
      { dim: 'vulnerability', threshold: t.vulnerability },
    ];
  }
  return [{ dim: 'rosh', threshold: policy.thresholds.adult.rosh }];
}

/** True when any of the service's levels is at or above its threshold. */
export function atOrAboveThreshold(policy: Policy, state: CaseState): boolean {
  return thresholdsFor(policy, state.service).some(({ dim, threshold }) => {
    const level = state[dim];
    return level !== null && levelRank(level) >= levelRank(threshold);
  });
}

/** The case's highest level among those with a threshold, or null before any assessment. */
export function highestLevel(policy: Policy, state: CaseState): Level | null {
  let highest: Level | null = null;
  for (const { dim } of thresholdsFor(policy, state.service)) {
    const level = state[dim];
    if (level !== null && (highest === null || levelRank(level) > levelRank(highest))) highest = level;
  }
  return highest;
}

/**
 * The minimum grade a case at `level` needs: the strictest minimum set for this level or any
 * level below it, so a VERY_HIGH case never needs less than a HIGH one.
 */
export function minimumGradeFor(policy: Policy, level: Level): Grade | null {
  let minimum: Grade | null = null;
  for (const l of levels.slice(0, levelRank(level) + 1)) {
    const g = policy.allocation.minimumGrade[l];
    if (g && (minimum === null || gradeRank(g) > gradeRank(minimum))) minimum = g;
  }
  return minimum;
}

/** `domestic-abuse`, `Domestic Abuse` and `domestic_abuse` are the same category. */
export function normaliseCode(code: string): string {
  return code
    .trim()
    .toLowerCase()
    .replace(/[\s-]+/g, '_');
}
