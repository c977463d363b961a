import { z } from 'zod';
import { grades, levels, services } from '../../db/schema/index.ts';
import { crnSchema } from './crn.ts';

/**
 * The case-event envelope of SPEC 'Case events'. These schemas validate the API, type the policy's
 * input and generate the OpenAPI document, so the three cannot drift apart.
 */

export const maxEventsPerRequest = 1000;

const level = z.enum(levels);
/** A short code from another system (offence category, registration type): never free text. */
const categoryCode = z
  .string()
  .trim()
  .min(1, 'must not be empty')
  .max(64)
  .regex(/^[A-Za-z0-9][A-Za-z0-9 _-]*$/, { error: 'must be a code such as domestic_abuse' });
const staffCode = z.string().trim().min(1, 'must not be empty').max(64);

export const forums = ['mappa', 'risk_management', 'mash', 'other'] as const;

/** `data` of each event type. Objects are open: systems may add free text, which is stored but never decides. */
export const eventData = {
  'risk.assessed': z.looseObject({ rosh: level, vulnerability: level.optional() }),
  'police.arrest': z.looseObject({ offenceCategory: categoryCode }),
  'police.charge': z.looseObject({ offenceCategory: categoryCode }),
  'police.callout': z.looseObject({ domesticAbuse: z.boolean() }),
  'court.appearance': z.looseObject({ seriousOffence: z.boolean() }),
  'screening.completed': z.looseObject({ indicators: z.array(z.string().min(1).max(200)).max(100) }),
  'registration.added': z.looseObject({ type: categoryCode }),
  'case.allocated': z.looseObject({ caseManager: staffCode, grade: z.enum(grades) }),
  'forum.held': z.looseObject({ forum: z.enum(forums), outcome: z.string().max(10_000) }),
} as const;

export type EventType = keyof typeof eventData;
export const eventTypes = Object.keys(eventData) as EventType[];

export const caseRefSchema = z.strictObject({
  crn: crnSchema,
  service: z.enum(services),
  team: z.string().trim().min(1, 'must not be empty').max(64),
  caseManager: staffCode.optional(),
});

/**
 * Whether an ISO date-time names a real moment that JavaScript and Postgres both hold: the regex
 * alone lets through year 0000 (which Postgres refuses, a 500) and 30 February (which JavaScript
 * silently moves to March).
 */
function isStorableInstant(text: string): boolean {
  const match = /^(\d{4})-(\d{2})-(\d{2})/.exec(text);
  if (!match) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const calendar = new Date(Date.UTC(year, month - 1, day));
  if (calendar.getUTCMonth() !== month - 1 || calendar.getUTCDate() !== day) return false;
  const instant = new Date(text);
  return !Number.isNaN(instant.getTime()) && year >= 1900 && instant.getUTCFullYear() <= 9999;
}

const envelope = {
  id: z.string().regex(/^\S{1,200}$/, { error: 'must be 1–200 characters without spaces' }),
  source: z
    .string()
    .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, { error: 'must name the sending system, e.g. police-feed' }),
  occurredAt: z.iso
    .datetime({ offset: true, error: 'must be an ISO 8601 date-time with a zone' })
    .refine(isStorableInstant, { error: 'must be a real date-time between the years 1900 and 9999' }),
  case: caseRefSchema,
};

const examples: { [T in EventType]: z.input<(typeof eventData)[T]> } = {
  'risk.assessed': { rosh: 'HIGH', vulnerability: 'MEDIUM' },
  'police.arrest': { offenceCategory: 'violence' },
  'police.charge': { offenceCategory: 'weapons' },
  'police.callout': { domesticAbuse: true },
  'court.appearance': { seriousOffence: true },
  'screening.completed': { indicators: ['previous violence', 'weapon access'] },
  'registration.added': { type: 'child_protection' },
  'case.allocated': { caseManager: 'cm-ali', grade: 'PSO' },
  'forum.held': { forum: 'mappa', outcome: 'Level 2 management agreed' },
};

function eventSchema<T extends EventType>(type: T) {
  return z.strictObject({ ...envelope, type: z.literal(type), data: eventData[type] }).meta({
    title: type,
    examples: [
      {
        id: `ev-2026-${type.replace('.', '-')}`,
        source: 'example-feed',
        type,
        occurredAt: '2026-11-20T10:00:00Z',
        case: { crn: 'X123456', service: 'youth', team: 'YOT-N', caseManager: 'cm-ali' },
        data: examples[type],
      },
    ],
  });
}

/** One case event; an unknown `type` is refused (never dropped) with the list of known types. */
export const caseEventSchema = z
  .discriminatedUnion(
    'type',
    [
      eventSchema('risk.assessed'),
      eventSchema('police.arrest'),
      eventSchema('police.charge'),
      eventSchema('police.callout'),
      eventSchema('court.appearance'),
      eventSchema('screening.completed'),
      eventSchema('registration.added'),
      eventSchema('case.allocated'),
      eventSchema('forum.held'),
    ],
    {
      error: (issue) =>
        issue.code === 'invalid_union'
          ? `unknown event type; expected one of: ${eventTypes.join(', ')}`
          : undefined,
    },
  )
  .meta({ id: 'CaseEvent' });

/** A validated event, narrowed by its `type`. */
export type CaseEvent = z.output<typeof caseEventSchema>;
export type CaseRef = CaseEvent['case'];

export const caseEventBatchSchema = z
  .strictObject({
    events: z.array(caseEventSchema).min(1, 'must hold at least one event').max(maxEventsPerRequest),
  })
  .meta({ id: 'CaseEventBatch', description: `At most ${maxEventsPerRequest} events.` });

export const caseEventResultSchema = z
  .strictObject({
    index: z.int().min(0).describe('position of the event in the request'),
    id: z.string(),
    source: z.string(),
    status: z.enum(['accepted', 'duplicate']),
    outcome: z.enum(['required', 'watch', 'none']),
    rule: z.string().describe('the policy rule that decided, e.g. police.required_offence'),
    reason: z.string().describe('a sentence a manager can read'),
    policyVersion: z.string(),
    requestId: z.uuid().optional().describe('the oversight request the event raised or joined'),
  })
  .meta({ id: 'CaseEventResult' });

export type CaseEventResult = z.infer<typeof caseEventResultSchema>;

export const caseEventResponseSchema = z
  .strictObject({ results: z.array(caseEventResultSchema) })
  .meta({ id: 'CaseEventResponse' });

export const errorResponseSchema = z
  .strictObject({
    error: z.string().describe('a stable code: invalid_input, unauthenticated, too_large, unavailable'),
    message: z.string(),
    fields: z
      .array(z.strictObject({ path: z.string().describe('e.g. events[3].case.team'), message: z.string() }))
      .optional(),
  })
  .meta({ id: 'Error' });
