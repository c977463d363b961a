import {
  App,
  HTTPModuleFunctions,
  HTTPReceiver,
  type ReceiverProcessEventErrorHandlerArgs,
  SocketModeReceiver,
} from '@slack/bolt';
import { register as registerActions } from './actions/index.ts';
import { boltLogger } from './bolt-logger.ts';
import { register as registerCommands } from './commands/index.ts';
import type { SlackDeps } from './context.ts';
import { register as registerViews } from './views/index.ts';

export type SlackSettings = {
  botToken: string;
  signingSecret?: string;
  appToken?: string;
  apiUrl?: string;
};

export type SlackBolt = {
  app: App;
  /** Set in HTTP mode: mount its `requestListener` at POST /slack/events on our server. */
  http?: HTTPReceiver;
  /** Set in Socket Mode: started and stopped with the app. */
  socket?: SocketModeReceiver;
};

/** The path Slack posts events, commands and interactivity to (the manifest's request URLs). */
export const slackEventsPath = '/slack/events';

/**
 * The Bolt app: Socket Mode when an app-level token is configured, otherwise an HTTPReceiver that
 * we mount on our own Fastify server (never `app.start()` in HTTP mode: it would open a second port).
 */
export function createSlackBolt(deps: SlackDeps, settings: SlackSettings): SlackBolt {
  const logger = boltLogger(deps.logger);
  const clientOptions = {
    ...(settings.apiUrl ? { slackApiUrl: settings.apiUrl } : {}),
    // A trigger_id lives 3 s and a person is waiting: fail fast rather than retry for minutes.
    retryConfig: { retries: 1, minTimeout: 200, maxTimeout: 500 },
    rejectRateLimitedCalls: true,
    timeout: 5000,
  };
  const socket = settings.appToken
    ? new SocketModeReceiver({
        appToken: settings.appToken,
        logger,
        installerOptions: { clientOptions },
      })
    : undefined;
  const http = socket
    ? undefined
    : new HTTPReceiver({
        signingSecret: settings.signingSecret ?? '',
        endpoints: slackEventsPath,
        logger,
        // Acknowledge first and keep working: Slack wants its answer within 3 s.
        processBeforeResponse: false,
        processEventErrorHandler: answerMalformedWith400,
      });
  const app = new App({
    receiver: (socket ?? http)!,
    // A fixed authorization: no auth.test call per request, and none at start-up that could
    // crash the process while Slack is unreachable.
    authorize: async () => ({ botToken: settings.botToken }),
    clientOptions,
    logger,
  });
  app.error(async (error) => {
    deps.logger.error(
      { err: { name: error.name, code: (error as { code?: string }).code } },
      'slack listener error',
    );
  });
  registerActions(app, deps);
  registerViews(app, deps);
  registerCommands(app, deps);
  return { app, http, socket };
}

/**
 * A signed payload that Bolt itself cannot make sense of (a button press without a user, say)
 * fails inside Bolt with a TypeError before any listener runs: that is bad input, answered 400,
 * not a server error. Everything else keeps Bolt's default handling.
 */
async function answerMalformedWith400(args: ReceiverProcessEventErrorHandlerArgs): Promise<boolean> {
  if (args.error instanceof TypeError && !args.response.headersSent) {
    args.response.writeHead(400);
    args.response.end();
    return false;
  }
  return HTTPModuleFunctions.defaultProcessEventErrorHandler(args);
}
