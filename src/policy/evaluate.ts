import type { Outcome } from '../../db/schema/index.ts';
import type { CaseEvent } from '../cases/schemas.ts';
import { allocationRule } from './allocation-rule.ts';
import { type CaseState, normaliseCode } from './case-state.ts';
import type { Decision, RuleInput } from './decision.ts';
import {
  courtRule,
  forumRule,
  policeCalloutRule,
  policeOffenceRule,
  registrationRule,
  screeningRule,
} from './incident-rules.ts';
import { riskRule } from './risk-rule.ts';
import type { Policy } from './schemas.ts';

/** The policy's verdict on one event, and the case as it stands after it. */
export type Evaluation = Decision & { policyVersion: string; after: CaseState };

export const outcomeRank = (outcome: Outcome): number => ['none', 'watch', 'required'].indexOf(outcome);

/**
 * Decides whether an event needs the manager's oversight. Pure: the same case, event and policy
 * always give the same answer, so every stored outcome can be re-derived and defended.
 * `before` is undefined when the case is first seen.
 */
export function evaluate(before: CaseState | undefined, event: CaseEvent, policy: Policy): Evaluation {
  const next = applyEvent(before, event);
  const decision = decide({ before, next, event, policy });
  const after = { ...next };
  if (decision.outcome === 'watch') {
    // The watch list keeps the date the case first went on it, and the latest reason.
    after.watchSince = before?.watchSince ?? new Date(event.occurredAt);
    after.watchReason = decision.reason;
  } else if (decision.clearWatch) {
    after.watchSince = null;
    after.watchReason = null;
  }
  // Built field by field: an object spread followed by more properties costs V8 about a hundred
  // times as much, and this runs for every event ingested.
  const evaluation: Evaluation = {
    outcome: decision.outcome,
    rule: decision.rule,
    reason: decision.reason,
    category: decision.category,
    policyVersion: policy.version,
    after,
  };
  if (decision.clearWatch !== undefined) evaluation.clearWatch = decision.clearWatch;
  return evaluation;
}

/**
 * True when the event needs oversight whatever state its case is in: every rule but the risk and
 * allocation rules decides from the event alone (a property of the policy its tests hold it to).
 */
export function requiredWhateverTheCase(event: CaseEvent, policy: Policy): boolean {
  if (event.type === 'risk.assessed' || event.type === 'case.allocated') return false;
  return evaluate(undefined, event, policy).outcome === 'required';
}

function decide(input: RuleInput): Decision {
  const { event } = input;
  switch (event.type) {
    case 'risk.assessed':
      return riskRule(input);
    case 'police.arrest':
    case 'police.charge':
      return policeOffenceRule(withEvent(input, event));
    case 'police.callout':
      return policeCalloutRule(withEvent(input, event));
    case 'court.appearance':
      return courtRule(withEvent(input, event));
    case 'screening.completed':
      return screeningRule(withEvent(input, event));
    case 'registration.added':
      return registrationRule(withEvent(input, event));
    case 'case.allocated':
      return allocationRule(withEvent(input, event));
    case 'forum.held':
      return forumRule(withEvent(input, event));
  }
}

/** The same input, its event's type narrowed (built field by field, as in `evaluate`). */
function withEvent<E extends CaseEvent>(input: RuleInput, event: E): RuleInput<E> {
  return { before: input.before, next: input.next, event, policy: input.policy };
}

/** The case with the event's facts applied: its case block, new levels, flag or allocation. */
function applyEvent(before: CaseState | undefined, event: CaseEvent): CaseState {
  const manager = event.case.caseManager ?? before?.caseManagerCode ?? null;
  const state: CaseState = {
    service: event.case.service,
    teamCode: event.case.team,
    caseManagerCode: manager,
    // A grade belongs to a person: it is kept only while the case manager stays the same.
    caseManagerGrade:
      manager === (before?.caseManagerCode ?? null) ? (before?.caseManagerGrade ?? null) : null,
    rosh: before?.rosh ?? null,
    vulnerability: before?.vulnerability ?? null,
    flags: before?.flags ?? [],
    watchSince: before?.watchSince ?? null,
    watchReason: before?.watchReason ?? null,
  };
  switch (event.type) {
    case 'risk.assessed':
      state.rosh = event.data.rosh;
      state.vulnerability = event.data.vulnerability ?? state.vulnerability;
      break;
    case 'case.allocated':
      state.caseManagerCode = event.data.caseManager;
      state.caseManagerGrade = event.data.grade;
      break;
    case 'registration.added': {
      const flag = normaliseCode(event.data.type);
      if (!state.flags.includes(flag)) state.flags = [...state.flags, flag];
      break;
    }
  }
  return state;
}
