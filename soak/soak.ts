import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { createQueues } from '../jobs/queues.ts';
import { connectRedis } from '../src/redis.ts';
import { FakeConnector } from '../test/support/fake-connector.ts';
import { FakeSlack } from '../test/support/fake-slack.ts';
import { TcpProxy } from '../test/support/tcp-proxy.ts';
import { ChaosProxy } from './chaos-proxy.ts';
import { Chat, newChatStats } from './chat.ts';
import { createSoakDatabase, viaPort } from './database.ts';
import { newFaultStats, runFaults } from './faults.ts';
import { collectFigures } from './figures.ts';
import { freePort } from './free-port.ts';
import { auditChecks } from './invariants/audit.ts';
import { authorityChecks } from './invariants/authority.ts';
import { type Check, check } from './invariants/check.ts';
import { closingChecks } from './invariants/closing.ts';
import { eventChecks } from './invariants/events.ts';
import { messageChecks } from './invariants/messages.ts';
import { scheduleChecks } from './invariants/schedule.ts';
import { runLoad } from './load.ts';
import { writeSoakPolicy } from './policy.ts';
import { backlog, queuedSummary, untilQuiet } from './quiesce.ts';
import { PrivateRedis } from './redis-server.ts';
import { newSenderStats } from './sender.ts';
import { ServiceProcess } from './service.ts';
import { newHostileStats, type StepContext } from './steps.ts';
import { buildWorld, seedWorld } from './world.ts';

/** How long and how hard to soak, and where Postgres is. */
export type SoakOptions = {
  /** How long load and faults run; quiescence and the checks come after. */
  loadMs: number;
  /** The Postgres server's admin URL (the soak makes and drops its own database there). */
  adminDatabaseUrl: string;
  /** A migrated template database to clone (the test suite's), instead of migrating. */
  template?: string;
  /** Simulated people and systems acting at once. */
  concurrency?: number;
  /** How long to wait for the last messages to go out after the load stops. */
  quiesceMs?: number;
  log?: (line: string) => void;
};

/** The outcome: every invariant held or not, the table's lines, and the service's last log lines on failure. */
export type SoakReport = { ok: boolean; checks: Check[]; figures: Array<[string, string]>; logs: string };

const eventsSecret = 'soak-events-secret';
const lockSeconds = 10;
const stalledSeconds = 2;
const reconcileSeconds = 10;
/** How long after a fault cut-short work may still be redone (see FaultWindow). */
const recoveryMs = {
  worker: (lockSeconds + stalledSeconds + 2) * 1000,
  redis: (reconcileSeconds + 2) * 1000,
  // Retries of a failed send or record back off 1 s, then 2 s.
  postgres: 5000,
};
const slackSecret = 'soak-slack-signing-secret';

/**
 * The soak: the real service (web and worker as child processes) on its own database, its own
 * Redis server and fake chat platforms, under concurrent case events, commands and button presses
 * while faults are injected; then, once quiet, the invariants are checked from Postgres.
 */
export async function runSoak(options: SoakOptions): Promise<SoakReport> {
  const log = options.log ?? (() => {});
  const run = randomBytes(3).toString('hex');
  const cleanup: Array<() => Promise<unknown>> = [];
  const admin = new URL(options.adminDatabaseUrl);
  try {
    const db = await createSoakDatabase(options.adminDatabaseUrl, options.template);
    cleanup.push(() => db.drop());
    const redis = await new PrivateRedis().start();
    cleanup.push(() => redis.kill());
    const postgres = new TcpProxy(admin.hostname, Number(admin.port || 5432));
    await postgres.start();
    cleanup.push(() => postgres.stop());
    const fakeSlack = await new FakeSlack().start();
    const fakeConnector = await new FakeConnector().start();
    const slackProxy = await new ChaosProxy(() => fakeSlack.url).start();
    const teamsProxy = await new ChaosProxy(() => fakeConnector.url).start();
    cleanup.push(
      () => fakeSlack.stop(),
      () => fakeConnector.stop(),
      () => slackProxy.stop(),
      () => teamsProxy.stop(),
    );

    const world = buildWorld(25);
    await seedWorld(db.storage.db, world, `${teamsProxy.url}/teams/`);
    // Reminders about every third of the load (10–60 s), so notices and actions are chased during it.
    const policyFile = writeSoakPolicy(
      Math.min(60, Math.max(12, options.loadMs / 3000)),
      `oversight-soak-${run}`,
    );
    cleanup.push(async () => rmSync(policyFile, { force: true }));
    const port = await freePort();
    const env: Record<string, string> = {
      NODE_ENV: 'test',
      LOG_LEVEL: 'warn',
      DATABASE_URL: viaPort(db.url, postgres.port),
      REDIS_URL: redis.url,
      REDIS_PREFIX: '{soak}',
      PORT: String(port),
      HOST: '127.0.0.1',
      EVENTS_SIGNING_SECRET: eventsSecret,
      SLACK_BOT_TOKEN: 'xoxb-soak',
      SLACK_SIGNING_SECRET: slackSecret,
      SLACK_API_URL: `${slackProxy.url}/api/`,
      TEAMS_ENABLED: 'true',
      TEAMS_ALLOW_UNAUTHENTICATED: 'true',
      POLICY_FILE: policyFile,
      RECONCILE_EVERY: `${reconcileSeconds}s`,
      // A killed worker's jobs are taken up again within about 12 s (production: 30 s + 30 s). Not
      // shorter: on a busy machine a live worker that stalls longer than its lock has its job run
      // twice, which is a different fault from the ones this soak injects.
      WORKER_LOCK_DURATION: `${lockSeconds}s`,
      WORKER_STALLED_INTERVAL: `${stalledSeconds}s`,
    };
    const web = new ServiceProcess('web', env);
    const worker = new ServiceProcess('worker', env);
    cleanup.push(
      () => web.stop(),
      () => worker.stop(),
    );
    log('starting oversight web and worker');
    await Promise.all([web.start(), worker.start()]);

    const webUrl = `http://127.0.0.1:${port}`;
    let next = 0;
    const ctx: StepContext = {
      db: db.storage.db,
      world,
      chat: new Chat(
        () => webUrl,
        slackSecret,
        (id) => fakeSlack.responseUrl(id),
        `${teamsProxy.url}/teams/`,
        newChatStats(),
      ),
      webUrl: () => webUrl,
      eventsSecret,
      sender: newSenderStats(),
      hostile: newHostileStats(),
      nextId: () => `soak-${run}-${++next}`,
    };
    const faults = newFaultStats();
    const started = Date.now();
    log(`load and faults for ${Math.round(options.loadMs / 1000)} s`);
    const [load] = await Promise.all([
      runLoad(ctx, {
        untilMs: started + options.loadMs,
        concurrency: options.concurrency ?? 4,
        pauseMs: 300,
        maxSteps: Math.ceil(options.loadMs / 10),
      }),
      runFaults(
        { worker, redis, postgres, platforms: [slackProxy, teamsProxy], cliEnv: env, recoveryMs },
        options.loadMs,
        faults,
      ),
    ]);
    log('load stopped; waiting for the last messages to go out');
    const quiesceMs = options.quiesceMs ?? Math.max(30_000, options.loadMs / 2);
    const stoppedAt = new Date();
    const quietAfter = await untilQuiet(db.storage.db, stoppedAt, Date.now() + quiesceMs);
    const waiting = quietAfter === null ? await queuedSummary(db.storage.db) : '';
    const retrying = await backlog(db.storage.db, stoppedAt, 'retrying');
    // Freeze: a graceful stop lets active jobs finish, so Postgres and Redis hold still for the checks.
    await Promise.all([worker.stop(), web.stop()]);
    const crashes = web.crashes.length + worker.crashes.length;
    if (crashes > 0) log(`unplanned exits: web ${web.crashes.length}, worker ${worker.crashes.length}`);
    const windows = [
      ...faults.windows,
      ...[...web.crashes, ...worker.crashes].map((at) => ({
        what: 'crash',
        from: at,
        to: at + 3000,
        recoveryMs: recoveryMs.worker,
      })),
    ];

    log('checking invariants');
    const connection = connectRedis(redis.url, 'worker');
    const queues = createQueues(connection, '{soak}');
    let checks: Check[];
    try {
      checks = [
        check(
          'the service came back from every fault',
          faults.notSurvived.length === 0,
          `${faults.storms} storms (${slackProxy.injected.ratelimited + teamsProxy.injected.ratelimited} × 429, ${slackProxy.injected.serverError + teamsProxy.injected.serverError} × 500), ${faults.workerKills} worker kill -9, ${faults.redisRestarts} Redis restarts empty, ${faults.postgresCuts} Postgres cuts; ${crashes} unplanned exits${faults.notSurvived.length ? `; failed: ${faults.notSurvived.join('; ')}` : ''}`,
        ),
        ...(await eventChecks(db.storage.db, ctx.sender, ctx.hostile)),
        ...(await scheduleChecks(db.storage.db, connection, queues)),
        ...(await auditChecks(db.storage.db)),
        ...(await closingChecks(db.storage.db)),
        ...(await authorityChecks(db.storage.db, ctx.hostile)),
        ...(await messageChecks(
          db.storage.db,
          { slack: slackProxy.exchanges, teams: teamsProxy.exchanges },
          windows,
          {
            slack: new Set(world.teams.map((t) => t.channel)),
            teams: new Set(world.teams.map((t) => t.conversation)),
          },
        )),
      ];
    } finally {
      await queues.close().catch(() => {});
      connection.disconnect();
    }
    const figures = await collectFigures(db.storage.db, {
      loadMs: Date.now() - started,
      load,
      ctx,
      faults,
      quiet:
        quietAfter === null
          ? `not within ${Math.round(quiesceMs / 1000)} s; still waiting: ${waiting}`
          : `${Math.round(quietAfter / 1000)} s after the load stopped`,
      retrying,
      apologies: fakeSlack.calls.filter(
        (c) => c.method === 'respond' && JSON.stringify(c.body).includes('went wrong'),
      ).length,
    });
    const ok = checks.every((c) => c.ok);
    return { ok, checks, figures, logs: ok ? '' : `${worker.tail()}\n${web.tail()}` };
  } finally {
    for (const task of cleanup.reverse()) await task().catch(() => {});
  }
}
