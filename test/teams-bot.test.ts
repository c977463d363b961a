import { and, eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { auditLog, conversationRefs, oversightRequests } from '../db/schema/index.ts';
import { eventually } from './support/slack-harness.ts';
import {
  activityCard,
  cardAction,
  cardText,
  installedInTeam,
  invokeAnswer,
  message,
} from './support/teams-activity.ts';
import { aad, managersChannel, startTeamsHarness, type TeamsHarness } from './support/teams-harness.ts';

describe('the Teams bot at POST /api/messages', () => {
  let h: TeamsHarness;
  beforeAll(async () => {
    h = await startTeamsHarness();
  });
  const db = () => h.t.db.storage.db;
  const press = (who: string, verb: string, data: Record<string, unknown>) =>
    h.post(cardAction(h.connector.serviceUrl, { aadObjectId: who }, verb, data));
  const request = async (id: string) =>
    (await db().select().from(oversightRequests).where(eq(oversightRequests.id, id)))[0]!;

  it('keeps the channel reference when installed in a team, and says whose notices it will post', async () => {
    const installed = await h.post(
      installedInTeam(h.connector.serviceUrl, managersChannel, { aadObjectId: aad.kim }),
    );
    expect(installed.status).toBe(200);
    const [row] = await db()
      .select()
      .from(conversationRefs)
      .where(eq(conversationRefs.key, `msteams:conversation:${managersChannel}`));
    expect(JSON.parse(row!.reference)).toMatchObject({
      serviceUrl: h.connector.serviceUrl,
      conversation: { id: managersChannel, tenantId: 'tenant-test' },
    });
    expect(row!.reference).not.toContain('Someone'); // no names kept
    const hello = await h.connector.waitFor((c) => c.kind === 'send' && c.conversationId === managersChannel);
    expect(cardText(activityCard(hello.body))).toContain('team YOT-N');
  });

  it('answers text typed to the bot with the commands', async () => {
    const typed = message(h.connector.serviceUrl, { aadObjectId: aad.ali }, 'help');
    expect((await h.post(typed)).status).toBe(200);
    const reply = await h.connector.waitFor((c) => c.kind === 'reply' && c.activityId === typed.id);
    expect(reply.conversationId).toBe(typed.conversation.id);
    expect(cardText(activityCard(reply.body))).toMatch(/refer/);
  });

  it('posts a notice to the channel as a new message, and updates it in place for everyone', async () => {
    const requestId = await h.raise('X200001');
    const post = await h.connector.waitFor(
      (c) =>
        c.kind === 'send' &&
        c.conversationId === managersChannel &&
        cardText(activityCard(c.body)).includes('X200001'),
    );
    expect(post.body.replyToId).toBeUndefined();
    const buttons = activityCard(post.body).actions.map(
      (a: { title: string; verb: string; data: unknown }) => [a.title, a.verb, a.data],
    );
    expect(buttons).toEqual(
      expect.arrayContaining([
        ['Acknowledge', 'acknowledge', { requestId }],
        ['Record oversight', 'record', { requestId }],
        ['Escalate', 'escalate', { requestId }],
      ]),
    );
    const posted = await eventually(async () => (await request(requestId)).msteamsActivityId);

    const answer = await press(aad.sam, 'acknowledge', { requestId });
    expect(answer.status).toBe(200);
    expect(cardText(invokeAnswer(answer.body).card)).toContain('Acknowledged: Sam Reed');
    const update = await h.connector.waitFor((c) => c.kind === 'update' && c.activityId === posted);
    expect(update.conversationId).toBe(managersChannel);
    expect(cardText(activityCard(update.body))).toContain('Acknowledged: Sam Reed');
    expect(activityCard(update.body).actions.map((a: { verb: string }) => a.verb)).not.toContain(
      'acknowledge',
    );
  });

  it('refuses Acknowledge from a case manager, to them only, and audits the attempt', async () => {
    const requestId = await h.raise('X200002');
    const answer = await press(aad.ali, 'acknowledge', { requestId });
    expect(answer.status).toBe(200);
    expect(invokeAnswer(answer.body).message).toMatch(/only a manager of this case's team can acknowledge/);
    expect((await request(requestId)).status).toBe('open');
    const refused = await db()
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, 'request.acknowledge.refused'), eq(auditLog.subjectId, requestId)));
    expect(refused).toEqual([expect.objectContaining({ actor: 'cm-ali', surface: 'msteams' })]);
  });

  it('gives one acknowledgement when two managers press at once', async () => {
    const requestId = await h.raise('X200003');
    const answers = await Promise.all([
      press(aad.sam, 'acknowledge', { requestId }),
      press(aad.jo, 'acknowledge', { requestId }),
    ]);
    const kinds = answers.map((a) => (invokeAnswer(a.body).card ? 'card' : invokeAnswer(a.body).message));
    expect(kinds).toContain('card');
    expect(kinds.find((k) => k !== 'card')).toMatch(/already acknowledged/);
    const acks = await db()
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, 'request.acknowledged'), eq(auditLog.subjectId, requestId)));
    expect(acks).toHaveLength(1);
    expect(acks[0]?.surface).toBe('msteams');
  });

  it('refuses someone the directory does not know, politely', async () => {
    const requestId = await h.raise('X200004');
    const answer = await press(aad.stranger, 'acknowledge', { requestId });
    expect(invokeAnswer(answer.body).message).toMatch(/I don't know you yet/);
    expect((await request(requestId)).status).toBe('open');
  });

  it('refuses a manager of another team', async () => {
    const requestId = await h.raise('X200005');
    const answer = await press(aad.other, 'acknowledge', { requestId });
    expect(invokeAnswer(answer.body).message).toMatch(/only a manager of this case's team/);
  });

  it('finds the request from the button data, whatever conversation the press comes from', async () => {
    const requestId = await h.raise('X200006');
    const elsewhere = cardAction(
      h.connector.serviceUrl,
      { aadObjectId: aad.sam },
      'acknowledge',
      { requestId },
      {
        conversationId: 'a:personal-somewhere',
      },
    );
    const answer = await h.post(elsewhere);
    expect(cardText(invokeAnswer(answer.body).card)).toContain('Acknowledged: Sam Reed');
    expect((await request(requestId)).status).toBe('acknowledged');
  });

  it('answers a button for a notice that does not exist', async () => {
    const answer = await press(aad.sam, 'acknowledge', { requestId: '00000000-0000-4000-8000-000000000000' });
    expect(invokeAnswer(answer.body).message).toMatch(/no longer exists/);
  });
});
