import { z } from 'zod';
import { grades, levels } from '../../db/schema/index.ts';
import { parseDuration } from '../config.ts';

const duration = z
  .string()
  .regex(/^\d+(s|m|h|d)$/, { error: 'must be a duration <n>s|m|h|d, e.g. 1d or 30s' })
  .transform((text) => ({ text, ms: parseDuration(text) }));

const level = z.enum(levels);

/** The policy file (SPEC 'Policy'). Durations keep their text (for messages) and their milliseconds. */
export const policySchema = z.strictObject({
  version: z.string().trim().min(1, 'must name the policy version'),
  thresholds: z.strictObject({
    youth: z.strictObject({ rosh: level, vulnerability: level }),
    adult: z.strictObject({ rosh: level }),
  }),
  police: z.strictObject({ requiredOffenceCategories: z.array(z.string().min(1)) }),
  registrations: z.strictObject({ required: z.array(z.string().min(1)) }),
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
