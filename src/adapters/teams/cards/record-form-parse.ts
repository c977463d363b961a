import type { RecordInput } from '../../../oversight/index.ts';
import { actionRows, assuranceFields, inputIdForPath, inputIds } from './record-fields.ts';

type Submitted = Record<string, unknown>;

const str = (data: Submitted, id: string): string => {
  const v = data[id];
  return typeof v === 'string' ? v : '';
};

/**
 * Turns the submitted card inputs into the record service's input. Validation (required fields,
 * dates, owners) is the service's: this only reshapes, so every surface is checked the same way.
 */
export function recordInputFromCard(
  data: Submitted,
  requestId: string,
  supersedes: string | null,
): RecordInput {
  const assurances = Object.fromEntries(
    assuranceFields.map(({ key }) => [
      key,
      { rating: str(data, inputIds.rating(key)) || undefined, note: str(data, inputIds.note(key)) },
    ]),
  ) as unknown as RecordInput['assurances'];
  const actions: NonNullable<RecordInput['actions']> = [];
  for (let row = 0; row < actionRows; row++) {
    const description = str(data, inputIds.action(row));
    const owner = str(data, inputIds.owner(row));
    const due = str(data, inputIds.due(row));
    // A row left wholly empty is not an action; a half-filled one is, so its gaps are reported.
    if (!description.trim() && !owner && !due) continue;
    actions.push({ description, owner, due });
  }
  const evidence = str(data, inputIds.evidence)
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  return {
    requestId,
    supersedes,
    assurances,
    deficits: str(data, inputIds.deficits),
    rationale: str(data, inputIds.rationale),
    variance: {
      procedure: str(data, inputIds.varianceProcedure),
      reason: str(data, inputIds.varianceReason),
    },
    evidence: evidence as RecordInput['evidence'],
    actions,
  };
}

/** The submitted values to show again in the form, as strings by input id. */
export function submittedValues(data: Submitted): Record<string, string> {
  return Object.fromEntries(
    Object.entries(data).filter((e): e is [string, string] => typeof e[1] === 'string'),
  );
}

/** Groups validation errors by the card input they belong to; the rest go under `''`. */
export function errorsByInput(fields: Array<{ path: string; message: string }>): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const f of fields) {
    const id = inputIdForPath(f.path) ?? '';
    out[id] = [...(out[id] ?? []), f.message];
  }
  return out;
}
