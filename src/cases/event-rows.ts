import type { Outcome } from '../../db/schema/index.ts';

/** What an earlier request decided about an event, returned again for its duplicates. */
export type StoredOutcome = {
  outcome: Outcome;
  rule: string;
  reason: string;
  policyVersion: string;
  requestId: string | null;
};

/** `(source, id)` as one string, the identity of an event (SPEC: idempotent by source and id). */
export const eventKey = (source: string, id: string): string => `${source}\u0000${id}`;
