import { sql } from 'drizzle-orm';
import {
  bigint,
  boolean,
  date,
  index,
  integer,
  jsonb,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { caseEvents, cases } from './cases.ts';
import { teams } from './directory.ts';
import type { ActionStatus, EvidenceKind, Rating, RequestStatus } from './enums.ts';

/**
 * The notice: a case needs its manager's oversight. At most one request per case is not closed
 * (a partial unique index), so two triggers racing for the same case cannot open two notices.
 */
export const oversightRequests = pgTable(
  'oversight_requests',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    crn: text('crn')
      .notNull()
      .references(() => cases.crn),
    teamCode: text('team_code')
      .notNull()
      .references(() => teams.code),
    status: text('status').$type<RequestStatus>().notNull().default('open'),
    openedAt: timestamp('opened_at', { withTimezone: true }).notNull().defaultNow(),
    acknowledgeBy: timestamp('acknowledge_by', { withTimezone: true }).notNull(),
    acknowledgedBy: text('acknowledged_by'),
    acknowledgedAt: timestamp('acknowledged_at', { withTimezone: true }),
    recordedAt: timestamp('recorded_at', { withTimezone: true }),
    closedAt: timestamp('closed_at', { withTimezone: true }),
    escalatedAt: timestamp('escalated_at', { withTimezone: true }),
    /** The next timer (reminder or escalation) and what it does; null when nothing is pending. */
    nextDueAt: timestamp('next_due_at', { withTimezone: true }),
    nextStep: text('next_step'),
    reminderCount: integer('reminder_count').notNull().default(0),
    /** Version token: bumped by every change; a scheduled job carrying an older one does nothing. */
    version: integer('version').notNull().default(1),
    slackChannel: text('slack_channel'),
    slackTs: text('slack_ts'),
    msteamsConversationId: text('msteams_conversation_id'),
    msteamsActivityId: text('msteams_activity_id'),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('oversight_requests_one_live_per_case_uq').on(t.crn).where(sql`${t.status} <> 'closed'`),
    index('oversight_requests_team_live_idx')
      .on(t.teamCode, t.status, t.openedAt)
      .where(sql`${t.status} <> 'closed'`),
    index('oversight_requests_next_due_idx').on(t.nextDueAt).where(sql`${t.nextDueAt} is not null`),
    index('oversight_requests_crn_idx').on(t.crn, t.openedAt),
  ],
);

/** Why a request exists: each event or referral that raised or joined it. */
export const requestTriggers = pgTable(
  'request_triggers',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    requestId: uuid('request_id')
      .notNull()
      .references(() => oversightRequests.id),
    kind: text('kind').$type<'event' | 'referral'>().notNull(),
    caseEventId: uuid('case_event_id').references(() => caseEvents.id),
    eventId: text('event_id'),
    type: text('type').notNull(),
    /** Category shown in chat (e.g. "police", "risk", "referral"); never the event's free text. */
    category: text('category').notNull(),
    rule: text('rule').notNull(),
    reason: text('reason').notNull(),
    policyVersion: text('policy_version').notNull(),
    by: text('by'),
    referralReason: text('referral_reason'),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('request_triggers_request_idx').on(t.requestId, t.at)],
);

export type Assurance = { rating: Rating; note: string };
export type Assurances = {
  victimsProtected: Assurance;
  assessmentAndPlanning: Assurance;
  timelyAndResponsive: Assurance;
  escalation: Assurance;
};

/** The manager's oversight decision. Append-only (the database refuses UPDATE and DELETE); corrections supersede. */
export const oversightRecords = pgTable(
  'oversight_records',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    requestId: uuid('request_id')
      .notNull()
      .references(() => oversightRequests.id),
    crn: text('crn')
      .notNull()
      .references(() => cases.crn),
    by: text('by').notNull(),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
    supersedes: uuid('supersedes'),
    assurances: jsonb('assurances').$type<Assurances>().notNull(),
    deficits: text('deficits'),
    rationale: text('rationale').notNull(),
    varianceProcedure: text('variance_procedure'),
    varianceReason: text('variance_reason'),
    evidence: text('evidence').array().$type<EvidenceKind[]>().notNull().default([]),
  },
  (t) => [index('oversight_records_request_idx').on(t.requestId, t.at)],
);

/**
 * The last action ref handed out: one row, advanced by `next_action_ref()` (the default of
 * actions.ref) inside the inserting transaction, so refs stay dense across rollbacks, restarts
 * and crashes (a sequence pre-logs values and skips them after a crash or an embedded reopen).
 */
export const actionRefCounter = pgTable('action_ref_counter', {
  id: boolean('id').primaryKey().default(true),
  last: bigint('last', { mode: 'number' }).notNull(),
});

/** A remedial action; chased until a manager confirms it was done (or cancels it, with a reason). */
export const actions = pgTable(
  'actions',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    /** Short reference that chat shows and commands take, e.g. A12. */
    ref: text('ref').notNull().default(sql`next_action_ref()`),
    requestId: uuid('request_id')
      .notNull()
      .references(() => oversightRequests.id),
    recordId: uuid('record_id')
      .notNull()
      .references(() => oversightRecords.id),
    crn: text('crn')
      .notNull()
      .references(() => cases.crn),
    teamCode: text('team_code')
      .notNull()
      .references(() => teams.code),
    description: text('description').notNull(),
    ownerCode: text('owner_code').notNull(),
    setBy: text('set_by').notNull(),
    /** Calendar date in the team's timezone. */
    dueDate: date('due_date', { mode: 'string' }).notNull(),
    /** The instant it becomes overdue: the start of the next day in the team's timezone. */
    overdueFrom: timestamp('overdue_from', { withTimezone: true }).notNull(),
    status: text('status').$type<ActionStatus>().notNull().default('open'),
    doneEvidence: text('done_evidence'),
    doneBy: text('done_by'),
    doneAt: timestamp('done_at', { withTimezone: true }),
    confirmedBy: text('confirmed_by'),
    confirmedAt: timestamp('confirmed_at', { withTimezone: true }),
    cancelledBy: text('cancelled_by'),
    cancelledAt: timestamp('cancelled_at', { withTimezone: true }),
    /** The latest reason given for a reopen or a cancellation. */
    reason: text('reason'),
    nextDueAt: timestamp('next_due_at', { withTimezone: true }),
    nextStep: text('next_step'),
    reminderCount: integer('reminder_count').notNull().default(0),
    escalatedAt: timestamp('escalated_at', { withTimezone: true }),
    version: integer('version').notNull().default(1),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('actions_ref_uq').on(t.ref),
    index('actions_request_idx').on(t.requestId),
    index('actions_team_live_idx')
      .on(t.teamCode, t.status, t.overdueFrom)
      .where(sql`${t.status} in ('open', 'done_claimed')`),
    index('actions_owner_live_idx')
      .on(t.ownerCode, t.overdueFrom)
      .where(sql`${t.status} in ('open', 'done_claimed')`),
    index('actions_next_due_idx').on(t.nextDueAt).where(sql`${t.nextDueAt} is not null`),
  ],
);
