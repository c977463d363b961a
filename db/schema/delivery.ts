import { sql } from 'drizzle-orm';
import {
  bigint,
  index,
  integer,
  jsonb,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import type { DeliveryStatus, Platform, Surface } from './enums.ts';

/** One outbound chat message (post, update, thread reply, DM) and what became of it. */
export const deliveries = pgTable(
  'deliveries',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    platform: text('platform').$type<Platform>().notNull(),
    kind: text('kind').notNull(),
    /** Channel, conversation or staff code the message goes to. */
    target: text('target').notNull(),
    teamCode: text('team_code'),
    requestId: uuid('request_id'),
    actionId: uuid('action_id'),
    /** Makes "post this notice once" idempotent across retries and duplicate enqueues. */
    dedupeKey: text('dedupe_key'),
    payload: jsonb('payload').notNull(),
    status: text('status').$type<DeliveryStatus>().notNull().default('queued'),
    attempts: integer('attempts').notNull().default(0),
    lastError: text('last_error'),
    externalRef: text('external_ref'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    sentAt: timestamp('sent_at', { withTimezone: true }),
    failedAt: timestamp('failed_at', { withTimezone: true }),
  },
  (t) => [
    uniqueIndex('deliveries_dedupe_uq').on(t.dedupeKey),
    index('deliveries_team_failed_idx').on(t.teamCode, t.failedAt).where(sql`${t.status} = 'failed'`),
    index('deliveries_pending_idx').on(t.createdAt).where(sql`${t.status} = 'queued'`),
    // A notice's queued updates, found when one is sent (coalescing) or waits for an earlier one.
    index('deliveries_request_queued_idx')
      .on(t.requestId, t.platform, t.kind, t.createdAt)
      .where(sql`${t.status} = 'queued'`),
  ],
);

/** Every state change and refused attempt: who, when, from where. Append-only (enforced by the database). */
export const auditLog = pgTable(
  'audit_log',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
    actor: text('actor').notNull(),
    surface: text('surface').$type<Surface>().notNull(),
    action: text('action').notNull(),
    subjectType: text('subject_type').notNull(),
    subjectId: text('subject_id').notNull(),
    crn: text('crn'),
    detail: jsonb('detail'),
  },
  (t) => [index('audit_log_crn_idx').on(t.crn, t.at), index('audit_log_subject_idx').on(t.subjectId)],
);
