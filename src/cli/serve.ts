import type { Command } from 'commander';
import { startWorkers } from '../../jobs/workers.ts';
import { runConsolePrompt } from '../adapters/console/index.ts';
import { type App, createApp, type Roles } from '../app.ts';
import { installProcessGuards } from '../process-guards.ts';
import { pingRedis } from '../redis.ts';
import { config, type Io } from './runtime.ts';

/** Runs the given roles until SIGTERM/SIGINT, then shuts down gracefully. */
export async function serve(roles: Roles, io: Io, options: { migrate: boolean }): Promise<App> {
  const cfg = config();
  const app = await createApp({ config: cfg, roles });
  installProcessGuards(app.logger);
  // Listen for signals before anything starts, so a stop during start-up is graceful too.
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    app.logger.info({ signal }, 'shutting down');
    app.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGTERM', () => stop('SIGTERM'));
  process.once('SIGINT', () => stop('SIGINT'));
  try {
    await pingRedis(app.redis, cfg.redisUrl, 3000);
    if (options.migrate) await app.storage.migrate();
    await app.storage.check();
  } catch (error) {
    await app.close();
    throw error;
  }
  if (stopping) return app;
  if (roles.worker) await startWorkers(app);
  if (roles.web) {
    const address = await app.listen();
    io.out(`oversight listening on ${address} (${describe(app)})`);
    if (app.adapters.console && roles.worker) startConsole(app, io);
  } else {
    io.out(`oversight worker running (${describe(app)})`);
  }
  return app;
}

/**
 * Console mode (no Slack or Teams credentials): notices, reminders and digests print here, and
 * commands are typed at a prompt, so the whole loop can be tried on one machine.
 */
function startConsole(app: App, io: Io): void {
  io.out(
    'Console mode: no Slack or Teams credentials are set, so notices, reminders and digests print here.',
  );
  io.out('Type `as mgr-sam` to act as a member of staff, then `help`.');
  runConsolePrompt({
    services: app.services,
    input: process.stdin,
    write: (text) => process.stdout.write(text),
  }).catch((error: Error) => app.logger.warn({ err: error.message }, 'console prompt stopped'));
}

function describe(app: App): string {
  const db = app.storage.driver === 'pglite' ? `embedded database in ${app.config.dataDir}` : 'Postgres';
  return `${db}; chat: ${app.platforms.join(', ')}`;
}

export function registerServe(program: Command, io: Io): void {
  program
    .command('start')
    .description('migrate, then run the web server and the workers in one process')
    .action(async () => void (await serve({ web: true, worker: true }, io, { migrate: true })));
  program
    .command('web')
    .description('run the HTTP server only (scale out behind a load balancer)')
    .action(async () => void (await serve({ web: true, worker: false }, io, { migrate: false })));
  program
    .command('worker')
    .description('run the job processors only (reminders, escalations, digests, deliveries)')
    .action(async () => void (await serve({ web: false, worker: true }, io, { migrate: false })));
}
