import type { Level } from '../../db/schema/index.ts';
import type { MessageView, ReplyView } from '../chat/views.ts';
import { localDate } from '../time.ts';
import { type Digest, isEmptyDigest, type Section, type SectionName, sectionOrder } from './build.ts';

/**
 * Renders a digest as a short message for a team lead's phone: a title, a summary of the counts, then
 * each non-empty section (most urgent first) with its worst few items and a count of the rest.
 * Plain text only: the chat adapters escape it and lay it out for their platform.
 */

const DAY_MS = 86_400_000;

const titles: Record<SectionName, (digest: Digest) => string> = {
  raisedRisk: (d) => `No oversight recorded within ${d.noOversightWithin}`,
  unacknowledged: () => 'Notices not acknowledged',
  unrecorded: () => 'Acknowledged, no oversight recorded yet',
  overdue: () => 'Overdue actions',
  failed: () => 'Messages not delivered',
  awaiting: () => 'Actions awaiting confirmation',
  watch: () => 'Watch list',
};

/** Short labels for the summary, which must fit a phone's screen with every section in it. */
const labels: Record<SectionName, string> = {
  raisedRisk: 'without oversight',
  unacknowledged: 'unacknowledged',
  unrecorded: 'to record',
  overdue: 'overdue',
  failed: 'undelivered',
  awaiting: 'to confirm',
  watch: 'on watch',
};

/** The digest as a direct message to the team lead. An empty digest is one line. */
export function renderDigest(digest: Digest): MessageView {
  const { team } = digest;
  const day = formatDay(digest.at, team.timezone);
  if (isEmptyDigest(digest)) {
    return {
      kind: 'digest',
      title: `Digest for ${team.name} (${team.code}), ${day}: nothing overdue`,
      lines: [],
    };
  }
  const lines = summary(digest);
  for (const name of sectionOrder) lines.push(...sectionLines(digest, name));
  return { kind: 'digest', title: `Digest for ${team.name} (${team.code}), ${day}`, lines };
}

/** The digest as an answer to `/oversight digest`, shown only to the person who asked. */
export function digestReply(digest: Digest): ReplyView & { title: string } {
  const message = renderDigest(digest);
  return { ok: true, text: message.title, title: message.title, lines: message.lines };
}

/** The longest line the digest writes: a phone shows it without wrapping mid-count. */
export const DIGEST_LINE_MAX = 100;

/** "2 unacknowledged · 1 overdue · …", wrapped between counts so no line exceeds DIGEST_LINE_MAX. */
function summary(digest: Digest): string[] {
  const parts = sectionOrder
    .filter((name) => digest[name].total > 0)
    .map((name) => `${digest[name].total} ${labels[name]}`);
  const lines: string[] = [];
  for (const part of parts) {
    const last = lines.at(-1);
    if (last !== undefined && last.length + 3 + part.length <= DIGEST_LINE_MAX) {
      lines[lines.length - 1] = `${last} · ${part}`;
    } else {
      lines.push(part);
    }
  }
  return lines;
}

function sectionLines(digest: Digest, name: SectionName): string[] {
  const section: Section<unknown> = digest[name];
  if (section.total === 0) return [];
  const shown = section.worst.length;
  const counts = [String(section.total)];
  if (name === 'unacknowledged' && digest.unacknowledged.overdue > 0) {
    counts.push(`${digest.unacknowledged.overdue} overdue`);
  }
  if (shown < section.total) counts.push(`worst ${shown} shown`);
  const heading = `${titles[name](digest)} (${counts.join(', ')})`;
  const lines = [heading, ...itemLines[name](digest).map((line) => `• ${line}`)];
  if (shown < section.total) lines.push(`• … and ${section.total - shown} more`);
  return lines;
}

/** One line per listed item of each section. */
const itemLines: Record<SectionName, (d: Digest) => string[]> = {
  raisedRisk: (d) =>
    d.raisedRisk.worst.map((c) => `${c.crn} · ${levels(c)} · raised ${ago(d.at, c.since)} ago`),
  unacknowledged: (d) =>
    d.unacknowledged.worst.map((n) =>
      n.overdue
        ? `${n.crn} · OVERDUE · opened ${ago(d.at, n.openedAt)} ago`
        : `${n.crn} · opened ${ago(d.at, n.openedAt)} ago · acknowledge by ${formatWhen(n.acknowledgeBy, d.team.timezone)}`,
    ),
  unrecorded: (d) =>
    d.unrecorded.worst.map((n) => {
      const when = n.acknowledgedAt ? ` ${ago(d.at, n.acknowledgedAt)} ago` : '';
      return `${n.crn} · acknowledged${n.by ? ` by ${n.by}` : ''}${when}`;
    }),
  overdue: (d) => {
    const today = localDate(d.at, d.team.timezone);
    return d.overdue.worst.map((a) => {
      const days = Math.max(1, daysBetween(a.dueDate, today));
      return `${a.ref} · ${a.crn} · ${a.owner} · ${days} ${days === 1 ? 'day' : 'days'} overdue`;
    });
  },
  failed: (d) =>
    d.failed.worst.map((f) => {
      const when = f.failedAt ? ` · ${formatWhen(f.failedAt, d.team.timezone)}` : '';
      return `${describeDelivery(f.kind, f.target)} (${f.platform})${when}${f.error ? ` · ${shortError(f.error)}` : ''}`;
    }),
  awaiting: (d) =>
    d.awaiting.worst.map((a) => {
      const done = a.doneAt ? ` ${ago(d.at, a.doneAt)} ago` : '';
      return `${a.ref} · ${a.crn} · done by ${a.owner}${done} · to confirm: ${a.setBy}`;
    }),
  watch: (d) => d.watch.worst.map((c) => `${c.crn} · ${levels(c)} · on watch ${ago(d.at, c.since)}`),
};

function levels(c: { rosh: Level | null; vulnerability: Level | null }): string {
  const rosh = `RoSH ${c.rosh ? c.rosh.replace('_', ' ') : 'not assessed'}`;
  return c.vulnerability ? `${rosh} · vulnerability ${c.vulnerability.replace('_', ' ')}` : rosh;
}

/** What failed, without the message itself: team channel posts name no channel id, DMs name the staff code. */
function describeDelivery(kind: string, target: string): string {
  if (kind === 'direct') return `message to ${target}`;
  if (kind === 'notice.post') return 'notice in team channel';
  if (kind === 'notice.update') return 'notice update in team channel';
  if (kind === 'thread.reply') return 'reminder in notice thread';
  return kind;
}

/** The platform's error code or first words: enough to act on (bot not in channel), never a payload. */
function shortError(error: string): string {
  const oneLine = error.replace(/\s+/g, ' ').trim();
  return oneLine.length > 60 ? `${oneLine.slice(0, 59)}…` : oneLine;
}

/** A coarse age for people: "3 days", "5 hours", "20 minutes". */
export function ago(now: Date, then: Date): string {
  const ms = Math.max(0, now.getTime() - then.getTime());
  const unit = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
  if (ms >= DAY_MS) return unit(Math.floor(ms / DAY_MS), 'day');
  if (ms >= 3_600_000) return unit(Math.floor(ms / 3_600_000), 'hour');
  return unit(Math.max(1, Math.floor(ms / 60_000)), 'minute');
}

/** Whole calendar days from `from` to `to` (both YYYY-MM-DD). */
function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS);
}

// Building an Intl formatter costs far more than using one: one per timezone and format, reused.
const formatters = new Map<string, Intl.DateTimeFormat>();
function formatter(tz: string, kind: 'day' | 'when'): Intl.DateTimeFormat {
  const key = `${kind} ${tz}`;
  let f = formatters.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat('en-GB', {
      timeZone: tz,
      weekday: 'short',
      day: 'numeric',
      month: 'short',
      ...(kind === 'when' ? { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' } : {}),
    });
    formatters.set(key, f);
  }
  return f;
}

/** "Mon 30 Mar". */
function formatDay(instant: Date, tz: string): string {
  return formatter(tz, 'day').format(instant).replace(/,/g, '');
}

/** "Mon 30 Mar 07:30", as time.ts formatLocal writes it. */
function formatWhen(instant: Date, tz: string): string {
  return formatter(tz, 'when').format(instant).replace(/,/g, '');
}
