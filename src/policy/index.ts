export { type CaseState, normaliseCode } from './case-state.ts';
export type { Decision } from './decision.ts';
export { type Evaluation, evaluate, outcomeRank, requiredWhateverTheCase } from './evaluate.ts';
export { defaultPolicyFile, loadPolicy, parsePolicy } from './load.ts';
export { type Category, describeRules, type RuleDescription, type RuleId, ruleIds } from './rules.ts';
export * from './schemas.ts';
