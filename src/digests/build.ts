import type { Database } from '../../db/client.ts';
import type { Level } from '../../db/schema/index.ts';
import { notFound } from '../errors.ts';
import { type DigestQueryOptions, runDigestQuery } from './query.ts';

/**
 * The data of one team's daily digest. The paper asks that managers have systems that identify
 * the cases needing their involvement, and counts deficits not addressed in a timely manner as
 * oversight that was not effective: each section is one way a case can be slipping.
 */

export type DigestTeam = {
  code: string;
  name: string;
  timezone: string;
  /** The team lead, when the directory names one who is still active. */
  lead: { code: string; name: string } | null;
};

export type OverdueAction = { ref: string; crn: string; owner: string; dueDate: string };
export type AwaitingAction = { ref: string; crn: string; owner: string; setBy: string; doneAt: Date | null };
/** A notice nobody has acknowledged; `overdue` once its acknowledge-by has passed. */
export type UnacknowledgedNotice = { crn: string; openedAt: Date; acknowledgeBy: Date; overdue: boolean };
/** A notice a manager acknowledged and nobody has recorded oversight on yet. */
export type UnrecordedNotice = { crn: string; acknowledgedAt: Date | null; by: string | null };
export type CaseItem = { crn: string; rosh: Level | null; vulnerability: Level | null; since: Date };
export type FailedDelivery = {
  kind: string;
  platform: string;
  target: string;
  failedAt: Date | null;
  error: string | null;
};

/** A section's total, and its worst items (at most DIGEST_WORST), most urgent first. */
export type Section<T> = { total: number; worst: T[] };
/** Unacknowledged notices also count those past their acknowledge-by, listed first. */
export type NoticeSection = Section<UnacknowledgedNotice> & { overdue: number };

export type Digest = {
  team: DigestTeam;
  at: Date;
  /** The policy window after which a raised-risk case without a record is listed (e.g. "5d"). */
  noOversightWithin: string;
  raisedRisk: Section<CaseItem>;
  unacknowledged: NoticeSection;
  unrecorded: Section<UnrecordedNotice>;
  overdue: Section<OverdueAction>;
  failed: Section<FailedDelivery>;
  awaiting: Section<AwaitingAction>;
  watch: Section<CaseItem>;
};

export type DigestOptions = DigestQueryOptions;

/** Reads one team's digest in one statement. Throws not_found for an unknown team. */
export async function buildDigest(db: Database, teamCode: string, options: DigestOptions): Promise<Digest> {
  const [row] = await runDigestQuery(db, teamCode, options);
  if (!row) throw notFound(`unknown team ${teamCode}`);
  return {
    team: {
      code: row.code,
      name: row.name,
      timezone: row.timezone,
      lead: row.leadCode ? { code: row.leadCode, name: row.leadName ?? row.leadCode } : null,
    },
    at: options.now,
    noOversightWithin: options.timings.noOversightWithin.text,
    raisedRisk: section<CaseRow, CaseItem>(row.raisedRisk, caseItem),
    unacknowledged: noticeSection(row.unacknowledged, options.now),
    unrecorded: section<UnrecordedRow, UnrecordedNotice>(row.unrecorded, (r) => ({
      crn: r.crn,
      acknowledgedAt: r.acknowledged_at ? new Date(r.acknowledged_at) : null,
      by: r.by,
    })),
    overdue: section<{ ref: string; crn: string; owner: string; due_date: string }, OverdueAction>(
      row.overdue,
      (r) => ({ ref: r.ref, crn: r.crn, owner: r.owner, dueDate: r.due_date }),
    ),
    failed: section<FailedRow, FailedDelivery>(row.failed, (r) => ({
      kind: r.kind,
      platform: r.platform,
      target: r.target,
      failedAt: r.failed_at ? new Date(r.failed_at) : null,
      error: r.error,
    })),
    awaiting: section<AwaitingRow, AwaitingAction>(row.awaiting, (r) => ({
      ref: r.ref,
      crn: r.crn,
      owner: r.owner,
      setBy: r.setter,
      doneAt: r.done_at ? new Date(r.done_at) : null,
    })),
    watch: section<CaseRow, CaseItem>(row.watch, caseItem),
  };
}

// Rows as the JSON of the query carries them: keyed by column name, timestamps as ISO text.
type CaseRow = { crn: string; rosh: Level | null; vulnerability: Level | null; since: string };
type FailedRow = {
  kind: string;
  platform: string;
  target: string;
  failed_at: string | null;
  error: string | null;
};
type NoticeRow = { crn: string; opened_at: string; acknowledge_by: string; overdue: number };
type UnrecordedRow = { crn: string; acknowledged_at: string | null; by: string | null };
type AwaitingRow = { ref: string; crn: string; owner: string; setter: string; done_at: string | null };

/** Digest sections in the order the digest shows them, most urgent first. */
export const sectionOrder = [
  'raisedRisk',
  'unacknowledged',
  'unrecorded',
  'overdue',
  'failed',
  'awaiting',
  'watch',
] as const;
export type SectionName = (typeof sectionOrder)[number];

/** Each section's total, for audit rows and logs (counts only, no identifiers). */
export function digestCounts(digest: Digest): Record<SectionName, number> {
  return Object.fromEntries(sectionOrder.map((name) => [name, digest[name].total])) as Record<
    SectionName,
    number
  >;
}

/** True when nothing in the digest needs anyone's attention. */
export function isEmptyDigest(digest: Digest): boolean {
  return sectionOrder.every((name) => digest[name].total === 0);
}

function caseItem(r: CaseRow): CaseItem {
  return { crn: r.crn, rosh: r.rosh, vulnerability: r.vulnerability, since: new Date(r.since) };
}

function section<R, T>(json: string, map: (row: R) => T): Section<T> {
  const rows = JSON.parse(json) as Array<R & { total: number }>;
  return { total: rows[0]?.total ?? 0, worst: rows.map(map) };
}

function noticeSection(json: string, now: Date): NoticeSection {
  const rows = JSON.parse(json) as Array<NoticeRow & { total: number }>;
  return {
    total: rows[0]?.total ?? 0,
    overdue: rows[0]?.overdue ?? 0,
    worst: rows.map((r) => {
      const acknowledgeBy = new Date(r.acknowledge_by);
      return {
        crn: r.crn,
        openedAt: new Date(r.opened_at),
        acknowledgeBy,
        overdue: acknowledgeBy.getTime() <= now.getTime(),
      };
    }),
  };
}
