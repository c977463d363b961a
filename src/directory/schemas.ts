import { z } from 'zod';
import { grades, roles, services } from '../../db/schema/index.ts';

const code = z.string().trim().min(1, 'must not be empty').max(64);

export const weekdays = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;

const timezone = z.string().refine(
  (tz) => {
    try {
      new Intl.DateTimeFormat('en-GB', { timeZone: tz });
      return true;
    } catch {
      return false;
    }
  },
  { error: 'must be an IANA timezone such as Europe/London' },
);

export const teamSchema = z.strictObject({
  code,
  name: z.string().trim().min(1),
  service: z.enum(services),
  timezone,
  digest: z
    .strictObject({
      at: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, { error: 'must be a time HH:MM, e.g. 08:30' }),
      days: z.array(z.enum(weekdays)).min(1).default(['mon', 'tue', 'wed', 'thu', 'fri']),
    })
    .default({ at: '08:30', days: ['mon', 'tue', 'wed', 'thu', 'fri'] }),
  lead: code.optional(),
  slack: z
    .strictObject({ channel: z.string().regex(/^[CGD][A-Z0-9]+$/, 'must be a Slack channel id') })
    .optional(),
  msteams: z
    .strictObject({
      conversationId: z.string().min(1),
      serviceUrl: z.url(),
      tenantId: z.string().optional(),
    })
    .optional(),
});

export const staffSchema = z.strictObject({
  code,
  name: z.string().trim().min(1),
  role: z.enum(roles),
  team: code,
  grade: z.enum(grades).optional(),
  slack: z.strictObject({ user: z.string().regex(/^[UW][A-Z0-9]+$/, 'must be a Slack user id') }).optional(),
  msteams: z.strictObject({ aadObjectId: z.string().min(1) }).optional(),
  /** A leaver is marked `active: false`: refused everywhere, and their open work goes to the team lead. */
  active: z.boolean().default(true),
});

export const directoryFileSchema = z.strictObject({
  teams: z.array(teamSchema).default([]),
  staff: z.array(staffSchema).default([]),
});

export type TeamInput = z.infer<typeof teamSchema>;
export type StaffInput = z.infer<typeof staffSchema>;
export type DirectoryFile = z.infer<typeof directoryFileSchema>;
