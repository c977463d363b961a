import { sql } from 'drizzle-orm';
import { index, integer, jsonb, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { teams } from './directory.ts';
import type { Grade, Level, Outcome, Service } from './enums.ts';

/** A case, known by its CRN; its current levels and flags as the information systems last reported them. */
export const cases = pgTable(
  'cases',
  {
    crn: text('crn').primaryKey(),
    service: text('service').$type<Service>().notNull(),
    teamCode: text('team_code')
      .notNull()
      .references(() => teams.code),
    caseManagerCode: text('case_manager_code'),
    caseManagerGrade: text('case_manager_grade').$type<Grade>(),
    rosh: text('rosh').$type<Level>(),
    vulnerability: text('vulnerability').$type<Level>(),
    flags: text('flags').array().notNull().default([]),
    /** Set while a rising level below the threshold keeps the case on the watch list. */
    watchSince: timestamp('watch_since', { withTimezone: true }),
    watchReason: text('watch_reason'),
    /** When the case first needed oversight in its current spell; cleared once a record exists. */
    raisedRiskSince: timestamp('raised_risk_since', { withTimezone: true }),
    lastRecordAt: timestamp('last_record_at', { withTimezone: true }),
    version: integer('version').notNull().default(1),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('cases_team_idx').on(t.teamCode),
    index('cases_case_manager_idx').on(t.caseManagerCode),
    // The digest lists a team's watch-list and raised-risk cases every day: partial indexes keep
    // that read proportional to the few cases listed, not to every case the team ever had.
    index('cases_team_watch_idx').on(t.teamCode, t.watchSince).where(sql`${t.watchSince} is not null`),
    index('cases_team_raised_risk_idx')
      .on(t.teamCode, t.raisedRiskSince)
      .where(sql`${t.raisedRiskSince} is not null`),
  ],
);

/** What an information system reported, with the policy's verdict on it. Idempotent by (source, event id). */
export const caseEvents = pgTable(
  'case_events',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    source: text('source').notNull(),
    eventId: text('event_id').notNull(),
    crn: text('crn')
      .notNull()
      .references(() => cases.crn),
    type: text('type').notNull(),
    occurredAt: timestamp('occurred_at', { withTimezone: true }).notNull(),
    receivedAt: timestamp('received_at', { withTimezone: true }).notNull().defaultNow(),
    envelope: jsonb('envelope').notNull(),
    outcome: text('outcome').$type<Outcome>().notNull(),
    rule: text('rule').notNull(),
    reason: text('reason').notNull(),
    policyVersion: text('policy_version').notNull(),
    requestId: uuid('request_id'),
  },
  (t) => [
    uniqueIndex('case_events_source_id_uq').on(t.source, t.eventId),
    index('case_events_crn_idx').on(t.crn, t.occurredAt),
  ],
);
