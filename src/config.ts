import { z } from 'zod';

/**
 * The one place that reads the environment. Every other module receives a `Config`.
 * A missing or malformed value stops start-up with a message that names the variable and what to set.
 */

const emptyToUndefined = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? undefined : v);
const optionalString = z.preprocess(emptyToUndefined, z.string().optional());
const optionalUrl = (hint: string) =>
  z.preprocess(emptyToUndefined, z.url({ error: `must be a URL, e.g. ${hint}` }).optional());

const duration = z
  .string()
  .regex(/^\d+(ms|s|m|h|d)$/, { error: 'must be a duration such as 30s, 5m, 1h' })
  .transform(parseDuration);

const envSchema = z.object({
  NODE_ENV: z.preprocess(
    emptyToUndefined,
    z.enum(['development', 'production', 'test']).default('development'),
  ),
  DATABASE_URL: z.preprocess(
    emptyToUndefined,
    z
      .string()
      .regex(/^postgres(ql)?:\/\//, { error: 'must be a postgres:// URL, e.g. postgres://user@host:5432/db' })
      .optional(),
  ),
  OVERSIGHT_DATA_DIR: z.preprocess(emptyToUndefined, z.string().default('./.oversight')),
  REDIS_URL: z.preprocess(
    emptyToUndefined,
    z
      .string()
      .regex(/^rediss?:\/\//, { error: 'must be a redis:// URL, e.g. redis://127.0.0.1:6379' })
      .default('redis://127.0.0.1:6379'),
  ),
  REDIS_PREFIX: z.preprocess(
    emptyToUndefined,
    z
      .string()
      .regex(/^\{[A-Za-z0-9_-]+\}$/, {
        error: 'must be a Redis Cluster hash tag such as {oversight}, so every key lands in one slot',
      })
      .default('{oversight}'),
  ),
  PORT: z.preprocess(
    emptyToUndefined,
    z.coerce
      .number({ error: 'must be a port number between 0 and 65535' })
      .int()
      .min(0)
      .max(65535)
      .default(3000),
  ),
  HOST: z.preprocess(emptyToUndefined, z.string().default('0.0.0.0')),
  PUBLIC_URL: optionalUrl('https://oversight.example.org'),
  POLICY_FILE: optionalString,
  EVENTS_SIGNING_SECRET: optionalString,
  SLACK_BOT_TOKEN: z.preprocess(
    emptyToUndefined,
    z.string().startsWith('xox', { error: 'must be a Slack bot token (xoxb-…)' }).optional(),
  ),
  SLACK_SIGNING_SECRET: optionalString,
  SLACK_APP_TOKEN: z.preprocess(
    emptyToUndefined,
    z.string().startsWith('xapp-', { error: 'must be a Slack app-level token (xapp-…)' }).optional(),
  ),
  SLACK_API_URL: optionalUrl('https://slack.com/api/'),
  TEAMS_APP_ID: optionalString,
  TEAMS_APP_PASSWORD: optionalString,
  TEAMS_TENANT_ID: optionalString,
  TEAMS_ENABLED: z.preprocess(
    emptyToUndefined,
    z.enum(['true', 'false'], { error: 'must be true or false' }).optional(),
  ),
  TEAMS_ALLOW_UNAUTHENTICATED: z.preprocess(
    emptyToUndefined,
    z.enum(['true', 'false'], { error: 'must be true or false' }).optional(),
  ),
  RECORD_LINK_TTL: z.preprocess(emptyToUndefined, duration.default(parseDuration('8h'))),
  LOG_LEVEL: z.preprocess(
    emptyToUndefined,
    z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  ),
  RECONCILE_EVERY: z.preprocess(emptyToUndefined, duration.default(parseDuration('5m'))),
  WORKER_LOCK_DURATION: z.preprocess(emptyToUndefined, duration.default(parseDuration('30s'))),
  WORKER_STALLED_INTERVAL: z.preprocess(emptyToUndefined, duration.default(parseDuration('30s'))),
  LINK_SIGNING_SECRET: optionalString,
  RECORD_API_TOKEN: optionalString,
  // Sign-in for the record and report pages (OpenID Connect); see oidcConfig below.
  OIDC_ISSUER: optionalUrl('https://login.microsoftonline.com/<tenant id>/v2.0'),
  OIDC_CLIENT_ID: optionalString,
  OIDC_CLIENT_SECRET: optionalString,
  SESSION_SECRET: optionalString,
});

export type Config = ReturnType<typeof shape>;

function shape(env: z.infer<typeof envSchema>) {
  const slackEnabled = Boolean(env.SLACK_BOT_TOKEN && (env.SLACK_SIGNING_SECRET || env.SLACK_APP_TOKEN));
  return {
    env: env.NODE_ENV,
    production: env.NODE_ENV === 'production',
    databaseUrl: env.DATABASE_URL,
    dataDir: env.OVERSIGHT_DATA_DIR,
    redisUrl: env.REDIS_URL,
    redisPrefix: env.REDIS_PREFIX,
    port: env.PORT,
    host: env.HOST,
    publicUrl: (env.PUBLIC_URL ?? `http://localhost:${env.PORT}`).replace(/\/$/, ''),
    policyFile: env.POLICY_FILE,
    eventsSigningSecret: env.EVENTS_SIGNING_SECRET,
    logLevel: env.LOG_LEVEL,
    reconcileEveryMs: env.RECONCILE_EVERY,
    /**
     * A job's lock lasts this long unless its worker renews it; after a worker dies (kill -9) its
     * active jobs are taken up again within about lock duration + stalled interval.
     */
    workerLockDurationMs: env.WORKER_LOCK_DURATION,
    /** How often workers look for jobs whose worker died (stalled-job recovery). */
    workerStalledIntervalMs: env.WORKER_STALLED_INTERVAL,
    /**
     * Signs expiring links to the case record page. Its own secret: reusing the events secret would
     * let the systems that send case events forge record links. Outside production a fixed
     * development key is used; in production links are refused until LINK_SIGNING_SECRET is set.
     */
    linkSigningSecret: env.LINK_SIGNING_SECRET ?? 'dev-only-link-secret',
    slack: slackEnabled
      ? {
          botToken: env.SLACK_BOT_TOKEN as string,
          signingSecret: env.SLACK_SIGNING_SECRET,
          appToken: env.SLACK_APP_TOKEN,
          apiUrl: env.SLACK_API_URL,
        }
      : undefined,
    /** How long a signed link to the case record page stays valid. */
    recordLinkTtlMs: env.RECORD_LINK_TTL,
    /** Bearer token of `GET /api/v1/cases/{crn}/record`; without it that API refuses everyone. */
    recordApiToken: env.RECORD_API_TOKEN,
    teams: teamsConfig(env),
    /** Sign-in for the web pages; undefined when not configured (see oidcConfig). */
    oidc: oidcConfig(env),
  };
}

// --- Sign-in for the web pages (OpenID Connect): settings, checks and shape kept together. ---

const oidcNames = ['OIDC_ISSUER', 'OIDC_CLIENT_ID', 'OIDC_CLIENT_SECRET', 'SESSION_SECRET'] as const;

/**
 * The four sign-in settings go together: all or none. SESSION_SECRET encrypts the session cookie,
 * so it is long and random. The issuer is HTTPS, except a loopback issuer outside production
 * (the tests' local provider).
 */
function checkOidc(env: z.infer<typeof envSchema>): string[] {
  const set = oidcNames.filter((name) => env[name] !== undefined);
  if (set.length === 0) return [];
  const problems = oidcNames
    .filter((name) => env[name] === undefined)
    .map((name) => `  ${name}: required with ${set.join(', ')} (sign-in needs all four)`);
  if (env.SESSION_SECRET !== undefined && env.SESSION_SECRET.length < 32)
    problems.push('  SESSION_SECRET: must be a random secret of at least 32 characters');
  if (env.OIDC_ISSUER && !env.OIDC_ISSUER.startsWith('https://')) {
    const loopback = ['127.0.0.1', 'localhost', '[::1]'].includes(new URL(env.OIDC_ISSUER).hostname);
    if (env.NODE_ENV === 'production' || !loopback)
      problems.push('  OIDC_ISSUER: must be an https:// URL (plain http only for a loopback test provider)');
  }
  return problems;
}

function oidcConfig(env: z.infer<typeof envSchema>) {
  if (!env.OIDC_ISSUER || !env.OIDC_CLIENT_ID || !env.OIDC_CLIENT_SECRET || !env.SESSION_SECRET)
    return undefined;
  return {
    issuer: env.OIDC_ISSUER,
    clientId: env.OIDC_CLIENT_ID,
    clientSecret: env.OIDC_CLIENT_SECRET,
    sessionSecret: env.SESSION_SECRET,
    /** Plain http to the provider: only a loopback provider outside production (checked above). */
    allowHttp: !env.OIDC_ISSUER.startsWith('https://'),
  };
}

// --- end of sign-in settings ---

function teamsConfig(env: z.infer<typeof envSchema>) {
  if (env.TEAMS_APP_ID) {
    return {
      appId: env.TEAMS_APP_ID,
      appPassword: env.TEAMS_APP_PASSWORD,
      tenantId: env.TEAMS_TENANT_ID,
      anonymous: false,
      /** Whether notices, reminders and digests are posted to Teams (on with credentials unless turned off). */
      post: env.TEAMS_ENABLED !== 'false',
    };
  }
  // Without credentials Teams is off (closed: /api/messages refuses everyone) unless unauthenticated
  // local testing is asked for by name, never in production (loadConfig refuses that). It then
  // answers at /api/messages, replies only to loopback service URLs, and posts only when asked to
  // (TEAMS_ENABLED=true): otherwise every directory with a real Teams service URL would be posted to.
  if (env.TEAMS_ALLOW_UNAUTHENTICATED !== 'true' || env.NODE_ENV === 'production') return undefined;
  return {
    appId: undefined,
    appPassword: undefined,
    tenantId: undefined,
    anonymous: true,
    post: env.TEAMS_ENABLED === 'true',
  };
}

/** Raised when the environment is unusable; its message is meant for the person starting the service. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** Secrets and URLs that may hold a password are never echoed back, even when malformed. */
function shown(name: string, value: string | undefined): string {
  if (value === undefined || value === '') return 'nothing';
  return /SECRET|TOKEN|PASSWORD|_URL$/.test(name) && !/^SLACK_API_URL$|^PUBLIC_URL$/.test(name)
    ? 'a value, hidden here'
    : JSON.stringify(value);
}

/** Validates an environment (default: this process's) into a typed config, or throws a ConfigError. */
export function loadConfig(source: Record<string, string | undefined> = process.env): Config {
  const parsed = envSchema.safeParse(source);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => {
      const name = String(issue.path[0] ?? 'environment');
      return `  ${name}: ${issue.message} (got ${shown(name, source[name])})`;
    });
    throw new ConfigError(`Invalid configuration; fix these environment variables:\n${lines.join('\n')}`);
  }
  const env = parsed.data;
  if (env.SLACK_BOT_TOKEN && !env.SLACK_SIGNING_SECRET && !env.SLACK_APP_TOKEN) {
    throw new ConfigError(
      'Invalid configuration; fix these environment variables:\n  SLACK_SIGNING_SECRET: required when SLACK_BOT_TOKEN is set (or set SLACK_APP_TOKEN for Socket Mode)',
    );
  }
  if (env.NODE_ENV === 'production' && env.TEAMS_ALLOW_UNAUTHENTICATED === 'true') {
    throw new ConfigError(
      'Invalid configuration; fix these environment variables:\n  TEAMS_ALLOW_UNAUTHENTICATED: refused when NODE_ENV=production (Teams never runs unauthenticated there); remove it and set TEAMS_APP_ID and TEAMS_APP_PASSWORD',
    );
  }
  if (env.NODE_ENV === 'production' && env.TEAMS_ENABLED === 'true' && !env.TEAMS_APP_ID) {
    throw new ConfigError(
      'Invalid configuration; fix these environment variables:\n  TEAMS_APP_ID: required when TEAMS_ENABLED=true in production (Teams never runs unauthenticated there)',
    );
  }
  if (env.TEAMS_ENABLED === 'true' && !env.TEAMS_APP_ID && env.TEAMS_ALLOW_UNAUTHENTICATED !== 'true') {
    throw new ConfigError(
      'Invalid configuration; fix these environment variables:\n  TEAMS_APP_ID: required when TEAMS_ENABLED=true (or, for local testing against a stand-in connector, set TEAMS_ALLOW_UNAUTHENTICATED=true)',
    );
  }
  if (env.NODE_ENV === 'production' && env.TEAMS_APP_ID && !env.TEAMS_APP_PASSWORD) {
    throw new ConfigError(
      'Invalid configuration; fix these environment variables:\n  TEAMS_APP_PASSWORD: required when TEAMS_APP_ID is set in production',
    );
  }
  const weak = weakSecrets(source, env.NODE_ENV === 'production');
  if (weak.length > 0) {
    // Checked here rather than in the schema, whose message would echo the secret.
    throw new ConfigError(
      `Invalid configuration; fix these environment variables:\n${weak
        .map((name) => `  ${name}: must be a random secret of at least ${minimumSecretLength} characters`)
        .join('\n')}`,
    );
  }
  const oidcProblems = checkOidc(env);
  if (oidcProblems.length > 0)
    throw new ConfigError(
      `Invalid configuration; fix these environment variables:\n${oidcProblems.join('\n')}`,
    );
  return shape(env);
}

/** A secret shorter than this can be guessed or was typed by hand (`x`, `changeme`). */
const minimumSecretLength = 32;

/** Every secret the service reads; in production each one set must be at least 32 characters. */
const secretNames = [
  'EVENTS_SIGNING_SECRET',
  'LINK_SIGNING_SECRET',
  'SLACK_SIGNING_SECRET',
  'RECORD_API_TOKEN',
  'TEAMS_APP_PASSWORD',
  'SESSION_SECRET',
  'WEBHOOK_SECRET',
] as const;

/**
 * The names of secrets that are set but too short: in production all of them, elsewhere only the
 * record API's token (a bearer token, so it is never short, even in development).
 */
function weakSecrets(source: Record<string, string | undefined>, production: boolean): string[] {
  const names = production ? secretNames : (['RECORD_API_TOKEN'] as const);
  return names.filter((name) => {
    const value = source[name]?.trim();
    return value !== undefined && value !== '' && value.length < minimumSecretLength;
  });
}

/** `30s`, `5m`, `1h`, `2d` (and `ms`) in milliseconds. */
export function parseDuration(text: string): number {
  const match = /^(\d+)(ms|s|m|h|d)$/.exec(text.trim());
  if (!match) throw new Error(`not a duration: ${text}`);
  const n = Number(match[1]);
  const unit = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 }[
    match[2] as 'ms' | 's' | 'm' | 'h' | 'd'
  ];
  return n * unit;
}
