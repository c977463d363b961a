/**
 * `npm run bench -- digest`: every team's digest at 08:30 on a busy service. 500 teams, 100,000
 * open actions (20% overdue) beside 100,000 settled ones, notices, watch-list and raised-risk cases
 * and failed deliveries. Measures building every digest, one team's p95, and a raw baseline (one
 * bare indexed SELECT per team) in the same run, and prints EXPLAIN (ANALYZE) of each query.
 * Goals: < 5 s for all teams, < 20 ms p95 per team. Creates and drops its own database.
 */
import { randomBytes } from 'node:crypto';
import { and, count, eq, lte } from 'drizzle-orm';
import postgres from 'postgres';
import { openStorage, type Storage } from '../db/client.ts';
import { actions } from '../db/schema/index.ts';
import { buildDigest, digestQuery, renderDigest } from '../src/digests/index.ts';
import { loadPolicy } from '../src/policy/index.ts';
import { testEnvironment } from '../test/support/environment.ts';

const TEAMS = 500;
const OPEN_ACTIONS = 100_000;
const CASES_WITH_ACTIONS = OPEN_ACTIONS / 2;
const GOAL_ALL_MS = 5000;
const GOAL_P95_MS = 20;

export async function run(): Promise<void> {
  const env = testEnvironment();
  const name = `oversight_bench_digest_${randomBytes(4).toString('hex')}`;
  const admin = postgres(env.adminDatabaseUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database "${name}"`);
  const url = new URL(env.adminDatabaseUrl);
  url.pathname = `/${name}`;
  let storage: Storage | undefined;
  const raw = postgres(url.toString(), { max: 1, onnotice: () => {} });
  try {
    storage = await openStorage({ databaseUrl: url.toString(), dataDir: '', max: 10 });
    await storage.migrate();
    const loadMs = await timed(() => load(raw));
    out(`loaded in ${(loadMs / 1000).toFixed(1)} s: ${await sizes(raw)}`);
    await measure(storage, raw);
  } finally {
    await raw.end();
    await storage?.close();
    await admin.unsafe(`drop database if exists "${name}" with (force)`);
    await admin.end();
  }
}

async function measure(storage: Storage, raw: postgres.Sql): Promise<void> {
  const { db } = storage;
  const timings = loadPolicy().timings;
  const now = new Date();
  const codes = Array.from({ length: TEAMS }, (_, i) => team(i + 1));
  const digest = async (code: string) => renderDigest(await buildDigest(db, code, { now, timings }));
  const baseline = (code: string) =>
    db
      .select({ n: count() })
      .from(actions)
      .where(and(eq(actions.teamCode, code), eq(actions.status, 'open'), lte(actions.overdueFrom, now)));

  for (const code of codes.slice(0, 50)) await Promise.all([digest(code), baseline(code)]); // warm up

  const d = await perTeam(codes, digest);
  const b = await perTeam(codes, baseline);
  const concurrentMs = await timed(() => inBatches(codes, 8, digest));
  const sample = await digest(codes[0]!);
  const built = await Promise.all(codes.slice(0, 50).map((code) => buildDigest(db, code, { now, timings })));
  const renderMs =
    (await timed(async () => {
      for (const one of built) renderDigest(one);
    })) / built.length;

  out('');
  out(`every digest, one team after another: ${fmt(d.totalMs)} ms (goal < ${GOAL_ALL_MS} ms)`);
  out(`every digest, 8 teams at a time:      ${fmt(concurrentMs)} ms`);
  out(
    `per team: p50 ${fmt(d.p50)} ms, p95 ${fmt(d.p95)} ms (goal < ${GOAL_P95_MS} ms), max ${fmt(d.max)} ms`,
  );
  out(`of which rendering the message: ${fmt(renderMs)} ms per team`);
  out(
    `baseline, one bare indexed SELECT per team: all ${fmt(b.totalMs)} ms, p50 ${fmt(b.p50)} ms, p95 ${fmt(b.p95)} ms`,
  );
  out(
    `ratio digest / baseline: all ${(d.totalMs / b.totalMs).toFixed(1)}×, p95 ${(d.p95 / b.p95).toFixed(1)}×`,
  );
  out(`sample digest (${codes[0]}): ${sample.lines.length + 1} lines; ${sample.lines[0] ?? sample.title}`);
  const pass = d.totalMs < GOAL_ALL_MS && d.p95 < GOAL_P95_MS;
  out(`goals: ${pass ? 'met' : 'NOT met'}`);

  out('\nEXPLAIN (ANALYZE, BUFFERS) of one team’s digest (one statement, a subquery per section):');
  const { sql, params } = digestQuery(db, codes[0]!, { now, timings }).toSQL();
  const plan = await raw.unsafe(`explain (analyze, buffers, costs off) ${sql}`, params as never[]);
  const lines = plan.map((r) => String(r['QUERY PLAN']));
  const seq = lines.filter((l) => /Seq Scan on (actions|cases|oversight_requests|deliveries|teams)/.test(l));
  const indexes = [
    ...new Set(
      lines.flatMap(
        (l) =>
          /(?:Index|Index Only) Scan(?: Backward)? using (\w+)|Bitmap Index Scan on (\w+)/
            .exec(l)
            ?.slice(1)
            .filter(Boolean) ?? [],
      ),
    ),
  ];
  out(`index scans: ${indexes.join(', ')}; sequential scans of big tables: ${seq.length}`);
  for (const l of lines) out(`   ${l}`);
}

/** Bulk-loads the data set with INSERT … SELECT generate_series (seconds, not minutes). */
async function load(sql: postgres.Sql): Promise<void> {
  const teamOf = (g: string) => `'T' || lpad(((${g}) % ${TEAMS} + 1)::text, 4, '0')`;
  const crn = (g: string) => `'X' || lpad((${g})::text, 7, '0')`;
  const person = (role: string, g: string, n: number) =>
    `'${role}-' || ((${g}) % ${TEAMS} + 1) || '-' || ((${g}) % ${n} + 1)`;
  const assurance = `'{"rating":"sufficient","note":""}'::jsonb`;
  const assurances = `jsonb_build_object('victimsProtected', ${assurance}, 'assessmentAndPlanning', ${assurance}, 'timelyAndResponsive', ${assurance}, 'escalation', ${assurance})`;
  const steps = [
    // random() below is repeatable: one session, seeded.
    'select setseed(0.42)',
    `insert into teams (code, name, service, timezone, lead_code, slack_channel)
       select 'T' || lpad(t::text, 4, '0'), 'Team ' || t, 'youth', 'Europe/London', 'tl-' || t, 'C' || t
       from generate_series(1, ${TEAMS}) t`,
    `insert into staff (code, name, role, team_code, grade, slack_user_id)
       select 'tl-' || t, 'Lead ' || t, 'team_lead', 'T' || lpad(t::text, 4, '0'), 'SPO', 'UTL' || t
       from generate_series(1, ${TEAMS}) t`,
    `insert into staff (code, name, role, team_code, grade)
       select 'mgr-' || t || '-' || m, 'Manager ' || t || '/' || m, 'manager', 'T' || lpad(t::text, 4, '0'), 'SPO'
       from generate_series(1, ${TEAMS}) t, generate_series(1, 2) m`,
    `insert into staff (code, name, role, team_code, grade)
       select 'cm-' || t || '-' || c, 'Practitioner ' || t || '/' || c, 'case_manager', 'T' || lpad(t::text, 4, '0'), 'PO'
       from generate_series(1, ${TEAMS}) t, generate_series(1, 8) c`,
    // 60,000 cases: 2% on the watch list, 5% raised risk (about half past the window), some recorded since.
    `insert into cases (crn, service, team_code, case_manager_code, rosh, watch_since, raised_risk_since, last_record_at)
       select ${crn('g')}, 'youth', ${teamOf('g')}, ${person('cm', 'g', 8)}, 'HIGH',
         case when random() < 0.02 then now() - (g % 30) * interval '1 day' end,
         case when random() < 0.05 then now() - random() * interval '10 days' end,
         case when random() < 0.05 then now() - interval '1 day' end
       from generate_series(1, 60000) g`,
    // Live requests with a record (cases 1..50,000); open notices (50,001..55,000), a third past acknowledge-by.
    `insert into oversight_requests (id, crn, team_code, status, opened_at, acknowledge_by, recorded_at)
       select md5('live' || g)::uuid, ${crn('g')}, ${teamOf('g')}, 'recorded', now() - interval '20 days',
         now() - interval '19 days', now() - interval '19 days'
       from generate_series(1, ${CASES_WITH_ACTIONS}) g`,
    `insert into oversight_requests (id, crn, team_code, status, opened_at, acknowledge_by)
       select md5('open' || g)::uuid, ${crn('g')}, ${teamOf('g')}, 'open', now() - (g % 3) * interval '1 day',
         now() - (g % 3) * interval '1 day' + interval '1 day'
       from generate_series(${CASES_WITH_ACTIONS + 1}, ${CASES_WITH_ACTIONS + 5000}) g`,
    // History: a closed request per case with actions, whose actions are settled.
    `insert into oversight_requests (id, crn, team_code, status, opened_at, acknowledge_by, closed_at)
       select md5('closed' || g)::uuid, ${crn('g')}, ${teamOf('g')}, 'closed', now() - interval '200 days',
         now() - interval '199 days', now() - interval '150 days'
       from generate_series(1, ${CASES_WITH_ACTIONS}) g`,
    `insert into oversight_records (id, request_id, crn, by, assurances, rationale)
       select md5(kind || 'rec' || g)::uuid, md5(kind || g)::uuid, ${crn('g')}, ${person('mgr', 'g', 2)}, ${assurances}, 'Rationale'
       from generate_series(1, ${CASES_WITH_ACTIONS}) g, (values ('live'), ('closed')) k(kind)`,
    // 100,000 open actions, two per live request; every fifth is overdue (due 1..30 days ago).
    `insert into actions (request_id, record_id, crn, team_code, description, owner_code, set_by, due_date, overdue_from, status)
       select md5('live' || r)::uuid, md5('liverec' || r)::uuid, ${crn('r')}, ${teamOf('r')}, 'Action text',
         ${person('cm', 'r', 8)}, ${person('mgr', 'r', 2)}, d, (d + 1)::timestamp at time zone 'Europe/London', 'open'
       from (select a, (a + 1) / 2 as r,
               case when random() < 0.2 then current_date - (a % 30 + 1) else current_date + (a % 60) end as d
             from generate_series(1, ${OPEN_ACTIONS}) a) s`,
    // 5,000 claimed done, awaiting a manager's confirmation.
    `insert into actions (request_id, record_id, crn, team_code, description, owner_code, set_by, due_date, overdue_from, status, done_at)
       select md5('live' || g)::uuid, md5('liverec' || g)::uuid, ${crn('g')}, ${teamOf('g')}, 'Action text',
         ${person('cm', 'g', 8)}, ${person('mgr', 'g', 2)}, current_date + 7,
         (current_date + 8)::timestamp at time zone 'Europe/London', 'done_claimed', now() - (g % 5) * interval '1 day'
       from generate_series(1, 5000) g`,
    `insert into actions (request_id, record_id, crn, team_code, description, owner_code, set_by, due_date, overdue_from, status, confirmed_at)
       select md5('closed' || r)::uuid, md5('closedrec' || r)::uuid, ${crn('r')}, ${teamOf('r')}, 'Action text',
         ${person('cm', 'r', 8)}, ${person('mgr', 'r', 2)}, current_date - 180,
         (current_date - 179)::timestamp at time zone 'Europe/London', case when a % 10 = 0 then 'cancelled' else 'confirmed' end,
         now() - interval '150 days'
       from (select a, (a + 1) / 2 as r from generate_series(1, ${OPEN_ACTIONS}) a) s`,
    `insert into deliveries (platform, kind, target, team_code, payload, status, sent_at, failed_at, last_error)
       select 'slack', 'notice.post', 'C' || (g % ${TEAMS} + 1), ${teamOf('g')}, '{}'::jsonb,
         case when f then 'failed' else 'sent' end,
         case when not f then now() - (g % 30) * interval '1 day' end,
         case when f then now() - (g % 20) * interval '1 day' end,
         case when f then 'channel_not_found' end
       from (select g, random() < 0.01 as f from generate_series(1, 100000) g) s`,
    'analyze',
  ];
  for (const step of steps) await sql.unsafe(step);
}

async function sizes(sql: postgres.Sql): Promise<string> {
  const [r] = await sql`
    select (select count(*) from teams) as teams, (select count(*) from cases) as cases,
      (select count(*) from actions where status = 'open') as open,
      (select count(*) from actions where status = 'open' and overdue_from <= now()) as overdue,
      (select count(*) from actions) as actions, (select count(*) from deliveries) as deliveries`;
  return `${r?.teams} teams, ${r?.cases} cases, ${r?.open} open actions (${r?.overdue} overdue) of ${r?.actions}, ${r?.deliveries} deliveries`;
}

async function perTeam(codes: string[], fn: (code: string) => Promise<unknown>) {
  const each: number[] = [];
  const totalMs = await timed(async () => {
    for (const code of codes) each.push(await timed(() => fn(code)));
  });
  each.sort((a, b) => a - b);
  const at = (q: number) => each[Math.min(each.length - 1, Math.floor(q * each.length))]!;
  return { totalMs, p50: at(0.5), p95: at(0.95), max: each.at(-1)! };
}

async function inBatches(codes: string[], width: number, fn: (code: string) => Promise<unknown>) {
  for (let i = 0; i < codes.length; i += width) await Promise.all(codes.slice(i, i + width).map(fn));
}

async function timed(fn: () => Promise<unknown>): Promise<number> {
  const start = performance.now();
  await fn();
  return performance.now() - start;
}

const team = (n: number) => `T${String(n).padStart(4, '0')}`;
const fmt = (ms: number) => ms.toFixed(ms < 10 ? 2 : 0);
const out = (line: string) => process.stdout.write(`${line}\n`);
