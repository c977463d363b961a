import type { FastifyInstance } from 'fastify';
import { openStorage, type Storage } from '../db/client.ts';
import type { Platform } from '../db/schema/index.ts';
import { createQueues, type Queues } from '../jobs/queues.ts';
import { ConsoleAdapter } from './adapters/console/index.ts';
import { createSlack } from './adapters/slack/index.ts';
import type { ChatAdapter } from './chat/index.ts';
import type { Config } from './config.ts';
import { createLogger, type Logger } from './logger.ts';
import { loadPolicy, type Policy } from './policy/index.ts';
import { connectRedis, pingRedis, type Redis } from './redis.ts';
import { createScheduler } from './scheduler.ts';
import { registerCaseEventRoutes } from './server/case-events.ts';
import { registerHealthRoutes } from './server/health.ts';
import { createHttpServer } from './server/http.ts';
import { createMetrics, type Metrics } from './server/metrics.ts';
import { registerOpenApiRoute } from './server/openapi.ts';
import { registerRecordRoute } from './server/record-route.ts';
import { createServices, type Services } from './services.ts';
import { setupCaseRecordTab } from './tab/index.ts';
import type { Deps } from './unit-of-work.ts';

export type Roles = { web: boolean; worker: boolean };

export type AppOptions = {
  config: Config;
  roles: Roles;
  logger?: Logger;
  now?: () => Date;
  /** An already-open storage (tests, the CLI); otherwise opened from the config. */
  storage?: Storage;
  policy?: Policy;
  /** Force the console adapter on (it is on by default when no chat platform is configured). */
  console?: boolean;
  /** Where the console adapter prints (default: standard output). */
  consoleWrite?: (text: string) => void;
};

export type App = {
  config: Config;
  logger: Logger;
  storage: Storage;
  redis: Redis;
  queues: Queues;
  deps: Deps;
  services: Services;
  metrics: Metrics;
  server: FastifyInstance;
  platforms: Platform[];
  /** The chat adapters of this process, by platform (the delivery worker sends through them). */
  adapters: Partial<Record<Platform, ChatAdapter>>;
  /** Tasks run on close, last added first (workers, adapters). */
  onClose(task: () => Promise<void>): void;
  listen(port?: number, host?: string): Promise<string>;
  close(): Promise<void>;
};

/** The platforms this deployment posts to, from its configuration. */
export function platformsFor(config: Config, forceConsole = false): Platform[] {
  const platforms: Platform[] = [];
  if (config.slack) platforms.push('slack');
  // With credentials, or when asked to without them (tests against a stand-in connector).
  if (config.teams?.post) platforms.push('msteams');
  if (forceConsole || platforms.length === 0) platforms.push('console');
  return platforms;
}

/** Wires every service from its data clients, in one place. */
export async function createApp(options: AppOptions): Promise<App> {
  const { config } = options;
  const logger = options.logger ?? createLogger(config.logLevel);
  const now = options.now ?? (() => new Date());
  const policy = options.policy ?? loadPolicy(config.policyFile);
  const storage =
    options.storage ??
    (await openStorage({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, role: 'service' }));
  const redis = connectRedis(config.redisUrl, 'producer');
  const queues = createQueues(redis, config.redisPrefix);
  const scheduler = createScheduler(queues, logger, now);
  const platforms = platformsFor(config, options.console);
  const deps: Deps = { db: storage.db, scheduler, policy, platforms, now };
  const services = createServices(deps);
  const metrics = createMetrics();
  const server = createHttpServer({ logger, metrics });
  registerHealthRoutes(
    server,
    [
      { name: 'postgres', check: () => storage.check() },
      { name: 'redis', check: () => pingRedis(redis, config.redisUrl) },
    ],
    metrics,
  );
  registerCaseEventRoutes(server, {
    secret: config.eventsSigningSecret,
    ingest: services.ingestCaseEvents,
    metrics,
    now,
  });
  registerOpenApiRoute(server);
  registerRecordRoute(server, { services, token: config.recordApiToken });

  const closers: Array<() => Promise<void>> = [];
  let closed = false;
  const app: App = {
    config,
    logger,
    storage,
    redis,
    queues,
    deps,
    services,
    metrics,
    server,
    platforms,
    adapters: platforms.includes('console')
      ? { console: new ConsoleAdapter(options.consoleWrite ?? ((text) => process.stdout.write(text))) }
      : {},
    onClose: (task) => closers.push(task),
    async listen(port = config.port, host = config.host) {
      return server.listen({ port, host });
    },
    async close() {
      if (closed) return;
      closed = true;
      // Stop accepting requests and let in-flight ones finish, then stop workers, then close pools.
      await server.close();
      for (const task of closers.reverse()) {
        await task().catch((error: Error) => logger.warn({ err: error.message }, 'error while closing'));
      }
      await queues.close().catch(() => {});
      redis.disconnect();
      if (!options.storage) await storage.close();
    },
  };
  if (config.slack) {
    // The chat port for the delivery worker; in the web role also Bolt's receiver for commands,
    // button presses and modal submissions (HTTP at POST /slack/events, or Socket Mode).
    const slack = createSlack({ services, logger }, config.slack);
    app.adapters.slack = slack.adapter;
    if (options.roles.web) await slack.attach(server);
    app.onClose(() => slack.close());
  }
  // Teams: the bot at POST /api/messages (web role), and the chat port when this deployment posts
  // to Teams. Loaded only then: the Agents SDK takes about a second to import.
  if (config.teams && (options.roles.web || platforms.includes('msteams'))) {
    const { setupTeams } = await import('./adapters/teams/index.ts');
    const msteams = setupTeams({
      config,
      server,
      services,
      db: storage.db,
      logger,
      routes: options.roles.web,
    });
    if (msteams && platforms.includes('msteams')) app.adapters.msteams = msteams;
  } else if (!config.teams && options.roles.web) {
    // Teams off: /api/messages still answers, refusing everyone (closed by default).
    const { registerClosedMessagesRoute } = await import('./adapters/teams/closed.ts');
    registerClosedMessagesRoute(server);
  }
  // The case record page, for signed links from any chat platform and as the Teams tab.
  setupCaseRecordTab({ server, db: storage.db, config, logger, now });
  return app;
}
