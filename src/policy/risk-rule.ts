import { type Dimension, levelRank, thresholdsFor } from './case-state.ts';
import type { Decision, RuleInput } from './decision.ts';
import type { RuleId } from './rules.ts';
import { dimensionLabel, levelLabel, serviceLabel } from './wording.ts';

/**
 * `risk.assessed`: youth cases need oversight at MEDIUM or higher RoSH or vulnerability, adult
 * cases at HIGH or higher RoSH (the paper's thresholds, as the policy sets them). A level that
 * rises but stays below puts the case on the watch list, so a case that may rise is not missed.
 */
export function riskRule({ before, next, policy }: RuleInput): Decision {
  const who = serviceLabel(next.service);
  const dims = thresholdsFor(policy, next.service);
  // RoSH comes first: every assessment reports it, while vulnerability may be carried over.
  const over = dims.find(({ dim, threshold }) => {
    const level = next[dim];
    return level !== null && levelRank(level) >= levelRank(threshold);
  });
  if (over) {
    return {
      outcome: 'required',
      // Adult cases have only a RoSH threshold, so this is always one of the declared rule ids.
      rule: `${next.service}.${over.dim}_threshold` as RuleId,
      reason: `${who}: ${dimensionLabel(over.dim)} ${levelLabel(next[over.dim]!)}, at or above the threshold (${levelLabel(over.threshold)})`,
      category: 'risk',
      clearWatch: true,
    };
  }

  const change = (dim: Dimension) => {
    const was = before?.[dim] ?? null;
    const now = next[dim];
    if (was === null || now === null) return 0;
    return Math.sign(levelRank(now) - levelRank(was));
  };
  const risen = dims.find(({ dim }) => change(dim) > 0);
  if (risen) {
    return {
      outcome: 'watch',
      rule: `${next.service}.rising_below_threshold`,
      reason: `${who}: ${dimensionLabel(risen.dim)} rose from ${levelLabel(before![risen.dim]!)} to ${levelLabel(next[risen.dim]!)}, below the threshold (${levelLabel(risen.threshold)})`,
      category: 'risk',
    };
  }
  const lowered = dims.find(({ dim }) => change(dim) < 0);
  const first = dims[0]!;
  const shown = lowered ?? first;
  const level = next[shown.dim];
  const what = lowered
    ? `${dimensionLabel(shown.dim)} lowered from ${levelLabel(before![shown.dim]!)} to ${levelLabel(level!)}`
    : `${dimensionLabel(shown.dim)} ${level ? levelLabel(level) : 'not assessed'}`;
  return {
    outcome: 'none',
    rule: `${next.service}.below_threshold`,
    reason: `${who}: ${what}, below the threshold (${levelLabel(shown.threshold)})`,
    category: 'risk',
    // A lowered level ends the rise that put the case on the watch list.
    clearWatch: Boolean(lowered),
  };
}
