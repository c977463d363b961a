import { z } from 'zod';
import { grades, levels } from '../../db/schema/index.ts';
import { parseDuration } from '../config.ts';

/** A year: no oversight timing is longer, and longer ones overflow date arithmetic (a 500 on every event). */
const longestDuration = 365 * 24 * 60 * 60 * 1000;

const duration = z
  .string()
  .regex(/^\d{1,12}(s|m|h|d)$/, { error: 'must be a duration <n>s|m|h|d, e.g. 1d or 30s' })
  .transform((text) => ({ text, ms: parseDuration(text) }))
  .refine((d) => d.ms > 0, { error: 'must be longer than zero, e.g. 1h' })
  .refine((d) => d.ms <= longestDuration, { error: 'must be at most a year (365d)' });

const level = z.enum(levels);
/** Category lists hold normalised codes; an event's category is normalised the same way before matching. */
const codes = z.array(
  z.string().regex(/^[a-z0-9][a-z0-9_]*$/, { error: 'must be a code in lower case, e.g. domestic_abuse' }),
);

/** The policy file (SPEC 'Policy'). Durations keep their text (for messages) and their milliseconds. */
export const policySchema = z.strictObject({
  version: z.string().trim().min(1, 'must name the policy version'),
  thresholds: z.strictObject({
    youth: z.strictObject({ rosh: level, vulnerability: level }),
    adult: z.strictObject({ rosh: level }),
  }),
  police: z.strictObject({ requiredOffenceCategories: codes }),
  registrations: z.strictObject({ required: codes }),
  allocation: z.strictObject({ minimumGrade: z.partialRecord(level, z.enum(grades)) }),
  timings: z.strictObject({
    acknowledgeWithin: duration,
    escalateUnacknowledgedAfter: duration,
    remindBeforeDue: duration,
    repeatOverdueEvery: duration,
    escalateOverdueAfter: duration,
    remindAwaitingConfirmationEvery: duration,
    noOversightWithin: duration,
  }),
});

export type Policy = z.infer<typeof policySchema>;
export type PolicyTimings = Policy['timings'];
