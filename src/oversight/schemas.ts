import { z } from 'zod';
import { evidenceKinds, ratings } from '../../db/schema/index.ts';
import { isStorableText, unstorableTextMessage } from '../storable-text.ts';
import { isCalendarDate } from '../time.ts';

/** Text that is empty or only white space counts as missing (SPEC 'Domain'). */
const required = (label: string) =>
  z
    .string({ error: `${label} is required` })
    .transform((s) => s.trim())
    .pipe(
      z
        .string()
        .min(1, `${label} is required`)
        .max(5000, `${label} is too long (5,000 characters at most)`)
        .refine(isStorableText, `${label} ${unstorableTextMessage}`),
    );

const optionalText = z
  .string()
  .optional()
  .nullable()
  .transform((s) => (s && s.trim() !== '' ? s.trim() : null))
  .pipe(
    z
      .string()
      .max(5000, 'too long (5,000 characters at most)')
      .refine(isStorableText, unstorableTextMessage)
      .nullable(),
  );

const assurance = (label: string) =>
  z.object({
    rating: z.enum(ratings, { error: `${label}: choose sufficient, insufficient or not applicable` }),
    note: optionalText.transform((s) => s ?? ''),
  });

export const actionInput = z.object({
  description: required('Action'),
  owner: required('Owner'),
  due: z
    .string({ error: 'Due date is required' })
    .trim()
    .refine(isCalendarDate, 'Due date must be a date (YYYY-MM-DD)'),
});

/** The manager's oversight record, as every surface submits it. Field names are the export's. */
export const recordInput = z
  .object({
    requestId: z.uuid(),
    supersedes: z.uuid().nullable().optional(),
    assurances: z.object({
      victimsProtected: assurance('Victims protected'),
      assessmentAndPlanning: assurance('Assessment and planning'),
      timelyAndResponsive: assurance('Timely and responsive'),
      escalation: assurance('Escalation'),
    }),
    deficits: optionalText,
    rationale: required('Rationale'),
    variance: z
      .object({ procedure: optionalText, reason: optionalText })
      .optional()
      .transform((v) => ({ procedure: v?.procedure ?? null, reason: v?.reason ?? null })),
    evidence: z.array(z.enum(evidenceKinds)).default([]),
    actions: z.array(actionInput).max(10, 'at most 10 remedial actions in one record').default([]),
  })
  .superRefine((value, ctx) => {
    if (value.variance.procedure && !value.variance.reason) {
      ctx.addIssue({
        code: 'custom',
        path: ['variance', 'reason'],
        message: 'Reason for variance is required when a procedure is named',
      });
    }
  });

export type RecordInput = z.input<typeof recordInput>;
export type ParsedRecord = z.output<typeof recordInput>;
