import { sql } from 'drizzle-orm';
import { boolean, index, pgTable, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import type { Grade, Role, Service } from './enums.ts';

/** A team: its managers' channel on each platform, its lead, and when its digest goes out. */
export const teams = pgTable('teams', {
  code: text('code').primaryKey(),
  name: text('name').notNull(),
  service: text('service').$type<Service>().notNull(),
  timezone: text('timezone').notNull(),
  digestAt: text('digest_at').notNull().default('08:30'),
  digestDays: text('digest_days').array().notNull().default(sql`'{mon,tue,wed,thu,fri}'::text[]`),
  leadCode: text('lead_code'),
  slackChannel: text('slack_channel'),
  msteamsConversationId: text('msteams_conversation_id'),
  msteamsServiceUrl: text('msteams_service_url'),
  msteamsTenantId: text('msteams_tenant_id'),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

/** A member of staff and how each chat platform knows them. */
export const staff = pgTable(
  'staff',
  {
    code: text('code').primaryKey(),
    name: text('name').notNull(),
    role: text('role').$type<Role>().notNull(),
    teamCode: text('team_code')
      .notNull()
      .references(() => teams.code),
    grade: text('grade').$type<Grade>(),
    slackUserId: text('slack_user_id'),
    msteamsAadObjectId: text('msteams_aad_object_id'),
    active: boolean('active').notNull().default(true),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('staff_team_idx').on(t.teamCode, t.role),
    uniqueIndex('staff_slack_user_uq').on(t.slackUserId),
    uniqueIndex('staff_msteams_user_uq').on(t.msteamsAadObjectId),
  ],
);

/** Conversation references captured from Teams (at install, or a personal chat), for proactive posts. */
export const conversationRefs = pgTable('conversation_refs', {
  key: text('key').primaryKey(),
  platform: text('platform').notNull(),
  reference: text('reference').notNull(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});
