import { afterAll } from 'vitest';
import { startWorkers } from '../../jobs/workers.ts';
import { systemActor } from '../../src/context.ts';
import { startTestApp, type TestApp } from './app.ts';
import { arrestTrigger, makeCase, makeStaff, makeTeam } from './factories.ts';
import { FakeConnector } from './fake-connector.ts';
import { tenantId } from './teams-activity.ts';

// biome-ignore lint/suspicious/noExplicitAny: answers are free-form JSON; tests pick what they check.
type Json = any;

export const managersChannel = '19:managers@thread.tacv2';

/** Entra object ids of the example directory's people. */
export const aad = {
  sam: 'aad-sam',
  jo: 'aad-jo',
  ali: 'aad-ali',
  kim: 'aad-kim',
  other: 'aad-other',
  stranger: 'aad-stranger',
} as const;

export type TeamsHarness = {
  t: TestApp;
  connector: FakeConnector;
  /** Posts an Activity to POST /api/messages. */
  post(activity: unknown, headers?: Record<string, string>): Promise<{ status: number; body: Json }>;
  /** Opens an oversight request for a fresh case of YOT-N, as a required event would. */
  raise(crn: string): Promise<string>;
};

/**
 * The whole service with Teams on and no credentials (unauthenticated, as TEAMS_ALLOW_UNAUTHENTICATED allows),
 * posting to a local fake of the Bot Connector, with the worker role running and the SPEC's
 * example directory on Teams: team YOT-N (managers' channel), two managers, a case manager, a
 * lead, and a manager of another team.
 */
export async function startTeamsHarness(env: Record<string, string> = {}): Promise<TeamsHarness> {
  const connector = await new FakeConnector().start();
  afterAll(() => connector.stop());
  const t = await startTestApp({
    env: { TEAMS_ENABLED: 'true', TEAMS_ALLOW_UNAUTHENTICATED: 'true', ...env },
    roles: { web: true, worker: true },
  });
  await startWorkers(t.app);
  const db = t.db.storage.db;
  const teams = {
    msteamsConversationId: managersChannel,
    msteamsServiceUrl: connector.serviceUrl,
    msteamsTenantId: tenantId,
  };
  await makeTeam(db, { leadCode: 'tl-kim', ...teams });
  await makeStaff(db, 'mgr-sam', 'manager', { name: 'Sam Reed', msteamsAadObjectId: aad.sam, grade: 'SPO' });
  await makeStaff(db, 'mgr-jo', 'manager', { name: 'Jo Hale', msteamsAadObjectId: aad.jo, grade: 'SPO' });
  await makeStaff(db, 'cm-ali', 'case_manager', { name: 'Ali Shah', msteamsAadObjectId: aad.ali });
  await makeStaff(db, 'tl-kim', 'team_lead', { name: 'Kim Lowe', msteamsAadObjectId: aad.kim, grade: 'SPO' });
  await makeTeam(db, { code: 'YOT-S', name: 'South YOT', slackChannel: null });
  await makeStaff(db, 'mgr-other', 'manager', {
    name: 'Pat Other',
    teamCode: 'YOT-S',
    msteamsAadObjectId: aad.other,
  });
  return {
    t,
    connector,
    async post(activity, headers = {}) {
      const response = await fetch(`${t.url}/api/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: JSON.stringify(activity),
      });
      const text = await response.text();
      return { status: response.status, body: text ? JSON.parse(text) : undefined };
    },
    async raise(crn) {
      await makeCase(db, crn);
      const { requestId } = await t.app.services.raise(systemActor, crn, arrestTrigger(`ev-${crn}`));
      return requestId;
    },
  };
}
