import { sql } from 'drizzle-orm';
import type { FaultStats } from './faults.ts';
import { rows } from './invariants/query.ts';
import type { StepContext } from './steps.ts';

/** The soak's figures for the table: what was sent, what came of it, and what was survived. */
export async function collectFigures(
  db: StepContext['db'],
  input: {
    loadMs: number;
    load: { steps: number; stepErrors: number };
    ctx: StepContext;
    faults: FaultStats;
    /** When the backlog of the load had gone out (the checks then run either way). */
    quiet: string;
    retrying: number;
    apologies: number;
  },
): Promise<Array<[string, string]>> {
  const [c] = await rows<Record<string, number>>(
    db,
    sql`select
      (select count(*)::int from case_events) as events,
      (select count(*)::int from oversight_requests) as requests,
      (select count(*)::int from oversight_requests where status = 'closed') as closed,
      (select count(*)::int from oversight_records) as records,
      (select count(*)::int from actions) as actions,
      (select count(*)::int from actions where status = 'confirmed') as confirmed,
      (select count(*)::int from deliveries where status = 'sent') as sent,
      (select count(*)::int from audit_log where action in ('request.reminded', 'action.reminded')) as reminders,
      (select count(*)::int from audit_log where action like '%.refused') as refused`,
  );
  const { sender, chat, hostile } = input.ctx;
  const attempts = Object.values(hostile.attempts).reduce((a, b) => a + b, 0);
  return [
    [
      'run (load, then quiet)',
      `${Math.round(input.loadMs / 1000)} s, ${input.load.steps} steps (${input.load.stepErrors} soak-side errors)`,
    ],
    [
      'backlog out',
      `${input.quiet}; ${input.retrying} messages retrying after failed attempts (each has its job: see above)`,
    ],
    [
      'case events',
      `${sender.events} sent; ${sender.outcomes.required} required, ${sender.outcomes.watch} watch, ${sender.outcomes.none} none; ${c?.events} stored`,
    ],
    [
      'chat inputs',
      `${chat.stats.slack} Slack, ${chat.stats.teams} Teams; ${chat.stats.unreachable} could not reach the service; ${input.apologies} answered "something went wrong"`,
    ],
    [
      'oversight',
      `${c?.requests} requests (${c?.closed} closed), ${c?.records} records, ${c?.actions} actions (${c?.confirmed} confirmed), ${c?.reminders} reminders`,
    ],
    ['messages sent', `${c?.sent} deliveries`],
    [
      'inputs refused',
      `${attempts} hostile attempts; ${c?.refused} refusals audited; ${hostile.forgedRefused} of ${hostile.forgedIds.length} bad signatures answered 401 (the rest met an outage)`,
    ],
    [
      'faults survived',
      `${input.faults.storms} storms, ${input.faults.workerKills} worker kills, ${input.faults.redisRestarts} Redis restarts (reconcile restored ${input.faults.reconcileRestored.join(', ') || 0} jobs), ${input.faults.postgresCuts} Postgres cuts`,
    ],
  ];
}
