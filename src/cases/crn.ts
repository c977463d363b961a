import { z } from 'zod';

/**
 * A case reference number (SPEC 'Case events'): one letter and six digits, `X123456`. Every edge
 * (case-event API, record API, chat commands, CLI, record page) upper-cases what it is given and
 * refuses anything else, so `x123456` and `X123456` can never become two cases.
 */
export const crnPattern = /^[A-Z][0-9]{6}$/;

/** What people are told a CRN looks like. */
export const crnHint = 'a letter and six digits, e.g. X123456';

/** Upper-cases a typed CRN (and drops surrounding spaces); does not validate it. */
export function normaliseCrn(text: string): string {
  return text.trim().toUpperCase();
}

/** The CRN in `text` upper-cased, or undefined when it is not one letter and six digits. */
export function parseCrn(text: unknown): string | undefined {
  if (typeof text !== 'string' || text.length > 32) return undefined;
  const crn = normaliseCrn(text);
  return crnPattern.test(crn) ? crn : undefined;
}

/** The CRN field of the case-event API: exactly a letter and six digits (either case), stored upper-cased. */
export const crnSchema = z
  .string()
  .regex(/^[A-Za-z][0-9]{6}$/, { error: `must be a case reference number: ${crnHint}` })
  .toUpperCase();
