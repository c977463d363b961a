import type { ActionStatus, Level, RequestStatus, Service } from '../../db/schema/index.ts';

/**
 * Platform-neutral view models. Domain code builds these; only adapters turn them into Block Kit,
 * Adaptive Cards or terminal text, and adapters escape every string in them.
 */

export type PersonRef = {
  code: string;
  name: string;
  slackUserId: string | null;
  msteamsAadObjectId: string | null;
};

/** The oversight notice in the managers' channel. Carries no names of people on probation or free text. */
export type NoticeView = {
  requestId: string;
  crn: string;
  service: Service;
  teamCode: string;
  timezone: string;
  rosh: Level | null;
  vulnerability: Level | null;
  status: RequestStatus;
  triggers: Array<{ category: string; rule: string; reason: string; policyVersion: string; at: Date }>;
  caseManager: PersonRef | null;
  openedAt: Date;
  acknowledgeBy: Date;
  acknowledged: { by: PersonRef; at: Date } | null;
  recorded: { by: PersonRef; at: Date } | null;
  actions: Array<{ ref: string; status: ActionStatus; owner: PersonRef; dueDate: string; overdue: boolean }>;
  closedAt: Date | null;
};

/** A short message: a reminder, an escalation, a confirmation request. */
export type MessageView = {
  kind: 'reminder' | 'escalation' | 'awaiting_confirmation' | 'digest' | 'info';
  title: string;
  lines: string[];
  /** The notice this message is about, so adapters can link to it. */
  requestId?: string;
  crn?: string;
};

/** A reply to the person who typed a command or pressed a button; shown only to them where possible. */
export type ReplyView = { text: string; lines?: string[]; ok: boolean };
