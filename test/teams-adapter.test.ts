import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ChatAdapter, DeliveryError } from '../src/chat/index.ts';
import { systemActor } from '../src/context.ts';
import { staffByCode } from '../src/directory/index.ts';
import { startTestApp, type TestApp } from './support/app.ts';
import { arrestTrigger, makeCase, makeStaff, makeTeam } from './support/factories.ts';
import { FakeConnector } from './support/fake-connector.ts';
import { activityCard, cardText, installedInTeam } from './support/teams-activity.ts';

const channel = '19:north@thread.tacv2';
const reminder = {
  kind: 'reminder' as const,
  title: 'Reminder: X400001 awaits acknowledgement',
  lines: ['Due today'],
};

describe('the Teams chat adapter (the chat port on the Bot Connector)', () => {
  let t: TestApp;
  let connector: FakeConnector;
  let teams: ChatAdapter;
  let requestId: string;
  beforeAll(async () => {
    connector = await new FakeConnector().start();
    t = await startTestApp({ env: { TEAMS_ENABLED: 'true', TEAMS_ALLOW_UNAUTHENTICATED: 'true' } });
    const db = t.db.storage.db;
    await makeTeam(db, {
      slackChannel: null,
      msteamsConversationId: channel,
      msteamsServiceUrl: connector.serviceUrl,
    });
    await makeStaff(db, 'mgr-sam', 'manager', { name: 'Sam Reed', msteamsAadObjectId: 'aad-sam' });
    await makeStaff(db, 'cm-ali', 'case_manager', { name: 'Ali Shah' });
    await makeCase(db, 'X400001');
    ({ requestId } = await t.app.services.raise(systemActor, 'X400001', arrestTrigger()));
    teams = t.app.adapters.msteams!;
  });
  afterAll(() => connector.stop());

  it('is on only when asked to without credentials, so Slack-only test apps never post to Teams', () => {
    expect(t.app.platforms).toEqual(['msteams']);
    expect(teams.platform).toBe('msteams');
  });

  it('posts a notice as a new message in the channel and updates that message in place', async () => {
    const view = await t.app.services.noticeView(requestId);
    const ref = await teams.postNotice(channel, view);
    const post = connector.calls.at(-1)!;
    expect(post).toMatchObject({ kind: 'send', conversationId: channel });
    expect(post.body.replyToId).toBeUndefined();
    expect(post.authorization).toBeUndefined(); // no credentials, no token
    expect(ref).toEqual({ channel, id: expect.stringMatching(/^act-/) });
    expect(cardText(activityCard(post.body))).toContain('Oversight required: X400001');
    // Data minimisation: the card carries the CRN and levels, not the case's free text or referral reason.
    expect(JSON.stringify(post.body)).not.toMatch(/victim|address/i);

    await teams.updateNotice(ref, view);
    const update = connector.calls.at(-1)!;
    expect(update).toMatchObject({
      kind: 'update',
      method: 'PUT',
      conversationId: channel,
      activityId: ref.id,
    });
    expect(update.body.id).toBe(ref.id);
  });

  it("replies in the notice's thread", async () => {
    await teams.replyInThread({ channel, id: 'act-root' }, reminder);
    expect(connector.calls.at(-1)).toMatchObject({
      kind: 'send',
      conversationId: `${channel};messageid=act-root`,
    });
  });

  it('opens a 1:1 chat by Entra object id the first time, then reuses it', async () => {
    const person = await staffRow('mgr-sam');
    await teams.sendDirect(person, reminder);
    await teams.sendDirect(person, reminder);
    expect(connector.of('create')).toHaveLength(1);
    expect(connector.of('create')[0]?.body).toMatchObject({ isGroup: false, members: [{ id: 'aad-sam' }] });
    const dms = connector.of('send').filter((c) => c.conversationId?.startsWith('a:1to1-'));
    expect(dms).toHaveLength(2);
    await expect(teams.sendDirect(await staffRow('cm-ali'), reminder)).rejects.toMatchObject({
      permanent: true,
    });
  });

  it('maps connector failures: 429 is retried after Retry-After, 404 is permanent', async () => {
    const view = await t.app.services.noticeView(requestId);
    connector.failNext({ status: 429, headers: { 'retry-after': '7' } });
    const limited = await teams.postNotice(channel, view).catch((e: unknown) => e);
    expect(limited).toBeInstanceOf(DeliveryError);
    expect(limited).toMatchObject({ permanent: false, retryAfterMs: 7000 });
    connector.failNext({ status: 404 });
    const gone = await teams.updateNotice({ channel, id: 'act-x' }, view).catch((e: unknown) => e);
    expect(gone).toMatchObject({ permanent: true });
    expect((gone as Error).message).not.toContain('X400001'); // no case data in the delivery's error
    connector.failNext({ status: 502 });
    await expect(teams.postNotice(channel, view)).rejects.toMatchObject({ permanent: false });
  });

  it('fails permanently for a conversation it has no reference for', async () => {
    const view = await t.app.services.noticeView(requestId);
    await expect(teams.postNotice('19:unknown@thread.tacv2', view)).rejects.toMatchObject({
      permanent: true,
    });
  });

  it('prefers the reference captured at install to the directory (Teams says where the team lives now)', async () => {
    const moved = await new FakeConnector().start();
    try {
      const install = await fetch(`${t.url}/api/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(installedInTeam(moved.serviceUrl, channel, { aadObjectId: 'aad-sam' })),
      });
      expect(install.status).toBe(200);
      await teams.postNotice(channel, await t.app.services.noticeView(requestId));
      expect(moved.of('send').filter((c) => cardText(activityCard(c.body)).includes('X400001'))).toHaveLength(
        1,
      );
    } finally {
      await moved.stop();
    }
  });

  it('without credentials never posts to a service URL off this machine (a real tenant in the directory)', async () => {
    const db = t.db.storage.db;
    const remote = '19:remote@thread.tacv2';
    await makeTeam(db, {
      code: 'YOT-R',
      name: 'Remote YOT',
      slackChannel: null,
      msteamsConversationId: remote,
      msteamsServiceUrl: 'https://smba.trafficmanager.net/uk/',
    });
    const calls = connector.calls.length;
    const view = await t.app.services.noticeView(requestId);
    const failure = await teams.postNotice(remote, view).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(DeliveryError);
    expect((failure as DeliveryError).permanent).toBe(true);
    expect((failure as DeliveryError).message).toMatch(/only a loopback service URL/);
    expect(connector.calls).toHaveLength(calls);
  });

  const staffRow = async (code: string) => (await staffByCode(t.db.storage.db, code))!;
});
