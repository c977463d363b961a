import { sql } from 'drizzle-orm';
import type { Database } from '../../db/client.ts';
import { messageBlocks } from '../../src/adapters/slack/render/message.ts';
import type { MessageView } from '../../src/chat/index.ts';
import type { Exchange } from '../chaos-proxy.ts';
import type { FaultWindow } from '../faults.ts';
import { type Check, check, sample } from './check.ts';
import { type Post, slackPosts, teamsPosts } from './platform-calls.ts';
import { rows } from './query.ts';
import { judgeRepeats, perDestination } from './repeats.ts';
import { type Duplicate, destinationOf, messageKey, Tally } from './tally.ts';

type Delivery = {
  platform: 'slack' | 'msteams';
  kind: string;
  target: string;
  payload: MessageView;
  slack_user: string | null;
  slack_channel: string | null;
  slack_ts: string | null;
  teams_conversation: string | null;
  teams_activity: string | null;
};

type RequestRow = {
  id: string;
  slack_ts: string | null;
  teams_activity: string | null;
  slack_post: string | null;
  teams_post: string | null;
};

/**
 * Nothing posted twice except within the one-in-flight window, and nothing lost: compares what the
 * fake platforms accepted (recorded by the fault proxy) with the deliveries Postgres says were
 * sent. Notices are matched by the message id kept on their request (a post whose id no request
 * holds is a second copy); reminders and DMs by destination and title. Every repeat must have its
 * first copy sent just before or during a fault (a worker kill, a Redis restart, a Postgres cut,
 * a crash), and no destination may get more repeats from one fault than it may have sends in flight.
 */
export async function messageChecks(
  db: Database,
  exchanges: { slack: Exchange[]; teams: Exchange[] },
  windows: FaultWindow[],
  channels: { slack: Set<string>; teams: Set<string> },
): Promise<Check[]> {
  const requests = await rows<RequestRow>(
    db,
    sql`select r.id::text, r.slack_ts, r.msteams_activity_id as teams_activity,
          (select status from deliveries d where d.dedupe_key = 'notice.post:' || r.id || ':slack') as slack_post,
          (select status from deliveries d where d.dedupe_key = 'notice.post:' || r.id || ':msteams') as teams_post
        from oversight_requests r`,
  );
  const slack = slackPosts(exchanges.slack);
  const teams = teamsPosts(exchanges.teams);
  const slackNotices = slack.filter((p) => channels.slack.has(p.channel) && !p.thread);
  const teamsNotices = teams.posts.filter((p) => channels.teams.has(p.channel) && !p.thread);
  const repeats = [
    ...repeatedNotices(slackNotices, new Set(requests.map((r) => r.slack_ts ?? ''))),
    ...repeatedNotices(teamsNotices, new Set(requests.map((r) => r.teams_activity ?? ''))),
  ];
  const noticeRepeats = repeats.length;
  const postedSlack = new Set(slackNotices.map((p) => p.id));
  const postedTeams = new Set(teamsNotices.map((p) => p.id));
  // A post still queued is on its way (the schedule checks show its job); sent means it is there.
  const posted = (status: string | null, id: string | null, ids: Set<string>) =>
    status === 'queued' || (status === 'sent' && ids.has(id ?? ''));
  const unposted = requests.filter(
    (r) =>
      !posted(r.slack_post, r.slack_ts, postedSlack) || !posted(r.teams_post, r.teams_activity, postedTeams),
  );
  const pending = requests.filter((r) => r.slack_post === 'queued' || r.teams_post === 'queued').length;

  const tally = await messagesTally(db, slack, teams, channels);
  repeats.push(...tally.duplicates());
  const judged = judgeRepeats(repeats, windows);
  const byFault = [...judged.byFault].map(([what, n]) => `${what} ${n}`).join(', ') || 'none';
  const lost = tally.lost();
  const { calls, sent } = tally.totals();
  return [
    check(
      'every notice was posted on each platform',
      unposted.length === 0,
      `${requests.length} requests; ${slackNotices.length} Slack and ${teamsNotices.length} Teams notice posts, ${pending} still on their way; ${unposted.length} not posted${sample(unposted.map((r) => r.id))}`,
    ),
    check(
      'no message posted twice except within the one-in-flight window',
      judged.outside.length === 0 && judged.worstPerDestination <= perDestination,
      `${repeats.length} repeats (${noticeRepeats} notices) over ${windows.length} faults (${byFault}); at most ${judged.worstPerDestination} per destination per fault (allowed ${perDestination}); ${judged.outside.length} outside any fault's window${sample(await Promise.all(judged.outside.slice(0, 2).map((d) => describeRepeat(db, d, windows))), 2)}`,
    ),
    check(
      'every message recorded as sent reached the platform',
      lost.length === 0,
      `${sent} reminders, escalations and DMs recorded as sent, ${calls} accepted by the platforms; ${lost.length} missing${sample(lost.map(destinationOf))}`,
    ),
  ];
}

/**
 * Notice posts no request holds the id of: each a second copy of the first post of its request
 * (known from its buttons; a notice rendered closed has none, and is matched by CRN instead).
 */
function repeatedNotices(posts: Post[], kept: Set<string>): Duplicate[] {
  const group = (p: Post) =>
    messageKey(`notice ${p.channel}`, p.requestId ?? /[A-Z]\d{6}/.exec(p.text)?.[0] ?? '');
  return posts
    .filter((p) => !kept.has(p.id))
    .map((p) => {
      const first = posts.find((q) => group(q) === group(p) && q !== p && q.at <= p.at);
      return { key: group(p), first: first?.at ?? p.at, again: p.at };
    });
}

/** Thread replies and direct messages, on both platforms, against the deliveries recorded as sent. */
async function messagesTally(
  db: Database,
  slack: Post[],
  teams: { posts: Post[]; chats: Map<string, string> },
  channels: { slack: Set<string>; teams: Set<string> },
): Promise<Tally> {
  const deliveries = await rows<Delivery>(
    db,
    sql`select d.platform, d.kind, d.target, d.payload,
          p.slack_user_id as slack_user, r.slack_channel, r.slack_ts,
          r.msteams_conversation_id as teams_conversation, r.msteams_activity_id as teams_activity
        from deliveries d
        left join staff p on d.kind = 'direct' and p.code = d.target
        left join oversight_requests r on r.id = d.request_id
        where d.status = 'sent' and d.kind in ('direct', 'thread.reply')`,
  );
  const people = await rows<{ code: string; aad: string; chat: string | null }>(
    db,
    sql`select s.code, s.msteams_aad_object_id as aad,
          (select c.reference::jsonb->'conversation'->>'id' from conversation_refs c
           where c.key = 'msteams:user:' || s.msteams_aad_object_id) as chat
        from staff s`,
  );
  // A person's 1:1 chat: the one the bot opened, or the one they typed to the bot in.
  const staffByChat = new Map<string, string>();
  const staffByAad = new Map(people.map((p) => [p.aad, p.code]));
  for (const [chat, aad] of teams.chats) staffByChat.set(chat, staffByAad.get(aad) ?? aad);
  for (const p of people) if (p.chat) staffByChat.set(p.chat, p.code);

  const tally = new Tally();
  for (const p of slack) {
    if (p.thread) tally.call(messageKey(`slack thread ${p.channel} ${p.thread}`, p.text), p.at);
    else if (!channels.slack.has(p.channel)) tally.call(messageKey(`slack dm ${p.channel}`, p.text), p.at);
  }
  for (const p of teams.posts) {
    const person = staffByChat.get(p.channel);
    if (p.thread) tally.call(messageKey(`msteams thread ${p.channel} ${p.thread}`, p.text), p.at);
    else if (person) tally.call(messageKey(`msteams dm ${person}`, p.text), p.at);
  }
  for (const d of deliveries) {
    if (d.platform === 'slack') {
      const text = messageBlocks(d.payload).text;
      const where =
        d.kind === 'direct' ? `slack dm ${d.slack_user}` : `slack thread ${d.slack_channel} ${d.slack_ts}`;
      tally.delivered(messageKey(where, text));
    } else {
      const where =
        d.kind === 'direct'
          ? `msteams dm ${d.target}`
          : `msteams thread ${d.teams_conversation} ${d.teams_activity}`;
      tally.delivered(messageKey(where, d.payload.title));
    }
  }
  return tally;
}

/**
 * A repeat for the table: where, what (its title, clipped), how far apart the two copies went, and
 * the deliveries with that title (status, attempts, last error), to tell a retry from a race.
 */
async function describeRepeat(db: Database, d: Duplicate, windows: FaultWindow[]): Promise<string> {
  const destination = destinationOf(d.key);
  const fullTitle = d.key.slice(destination.length + 1);
  const rowsFound = await rows<{
    platform: string;
    status: string;
    attempts: number;
    last_error: string | null;
  }>(
    db,
    sql`select platform, status, attempts, last_error from deliveries
        where kind in ('direct', 'thread.reply') and payload->>'title' = ${fullTitle}`,
  );
  const seen = rowsFound.map(
    (r) => `${r.platform} ${r.status}×${r.attempts}${r.last_error ? ` ${r.last_error}` : ''}`,
  );
  const nearest = [...windows].sort((a, b) => Math.abs(a.to - d.first) - Math.abs(b.to - d.first))[0];
  const after = nearest
    ? `, ${((d.first - nearest.to) / 1000).toFixed(1)} s after the end of a ${nearest.what}`
    : '';
  return `${destination} "${fullTitle.slice(0, 40)}" ${((d.again - d.first) / 1000).toFixed(1)} s apart${after} [${seen.join('; ')}]`;
}
