import type { Outcome } from '../../db/schema/index.ts';
import type { CaseEvent } from '../cases/schemas.ts';
import type { CaseState } from './case-state.ts';
import type { Category, RuleId } from './rules.ts';
import type { Policy } from './schemas.ts';

/** What one rule decided about one event. `clearWatch` takes the case off the watch list. */
export type Decision = {
  outcome: Outcome;
  rule: RuleId;
  reason: string;
  category: Category;
  clearWatch?: boolean;
};

/** A rule's input: the case before the event (undefined when first seen) and with the event applied. */
export type RuleInput<E extends CaseEvent = CaseEvent> = {
  before: CaseState | undefined;
  next: CaseState;
  event: E;
  policy: Policy;
};
