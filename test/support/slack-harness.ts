import { afterAll } from 'vitest';
import { startWorkers } from '../../jobs/workers.ts';
import { systemActor } from '../../src/context.ts';
import { startTestApp, type TestApp } from './app.ts';
import { arrestTrigger, makeCase, makeStaff, makeTeam } from './factories.ts';
import { FakeSlack } from './fake-slack.ts';
import { postToSlackEndpoint, type SignedPost } from './slack-sign.ts';

export const signingSecret = 'slack-test-signing-secret';
export const recordApiToken = 'record-api-token-0123456789abcdef0123456789';
export const eventsSecret = 'test-events-secret';

export type SlackHarness = {
  t: TestApp;
  fake: FakeSlack;
  /** Posts a signed body to POST /slack/events. */
  post(body: string): Promise<SignedPost>;
  /** Opens an oversight request for a fresh case of a team, as a required event would. */
  raise(crn: string, team?: string): Promise<string>;
};

/**
 * The whole service with Slack on, pointed at a local fake of the Slack Web API, with the worker
 * role running (deliveries go out) and the SPEC's example directory: team YOT-N with two managers,
 * a case manager and a lead.
 */
export async function startSlackHarness(env: Record<string, string> = {}): Promise<SlackHarness> {
  const fake = await new FakeSlack().start();
  afterAll(() => fake.stop());
  const t = await startTestApp({
    env: {
      SLACK_BOT_TOKEN: 'xoxb-test',
      SLACK_SIGNING_SECRET: signingSecret,
      SLACK_API_URL: fake.apiUrl,
      RECORD_API_TOKEN: recordApiToken,
      EVENTS_SIGNING_SECRET: eventsSecret,
      ...env,
    },
    roles: { web: true, worker: true },
  });
  await startWorkers(t.app);
  const db = t.db.storage.db;
  await makeTeam(db, { leadCode: 'tl-kim' });
  await makeStaff(db, 'mgr-sam', 'manager', { name: 'Sam Reed', slackUserId: 'U0SAM', grade: 'SPO' });
  await makeStaff(db, 'mgr-jo', 'manager', { name: 'Jo Hale', slackUserId: 'U0JO', grade: 'SPO' });
  await makeStaff(db, 'cm-ali', 'case_manager', { name: 'Ali Shah', slackUserId: 'U0ALI' });
  await makeStaff(db, 'tl-kim', 'team_lead', { name: 'Kim Lowe', slackUserId: 'U0KIM', grade: 'SPO' });
  return {
    t,
    fake,
    post: (body) => postToSlackEndpoint(`${t.url}/slack/events`, signingSecret, body),
    async raise(crn, team = 'YOT-N') {
      await makeCase(db, crn, { teamCode: team });
      const { requestId } = await t.app.services.raise(systemActor, crn, arrestTrigger(`ev-${crn}`));
      return requestId;
    },
  };
}

/** Polls until `check` returns a truthy value (or fails after `timeoutMs`). */
export async function eventually<T>(
  check: () => T | Promise<T>,
  timeoutMs = 10_000,
): Promise<NonNullable<T>> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value as NonNullable<T>;
    if (Date.now() > until) throw new Error('timed out waiting for a condition');
    await new Promise((r) => setTimeout(r, 25));
  }
}
