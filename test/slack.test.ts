import { and, eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { actions, auditLog, oversightRecords, oversightRequests } from '../db/schema/index.ts';
import { callbackIds } from '../src/adapters/slack/ids.ts';
import { caseRecordMarkdown } from '../src/export/index.ts';
import { event, postEvents } from './ingest-support.ts';
import { daysFromToday } from './support/dates.ts';
import { makeCase, makeStaff } from './support/factories.ts';
import type { SlackCall } from './support/fake-slack.ts';
import { eventually, recordApiToken, type SlackHarness, startSlackHarness } from './support/slack-harness.ts';
import {
  buttonPressBody,
  postToSlackEndpoint,
  slashCommandBody,
  viewSubmissionBody,
} from './support/slack-sign.ts';

// A week ahead in the team's timezone: the action is open, not overdue.
const due1 = daysFromToday(7);

const text = (call: SlackCall | undefined) => JSON.stringify(call?.body ?? {});

describe('Slack: notices, acknowledgement and the record of oversight', () => {
  let h: SlackHarness;
  beforeAll(async () => {
    h = await startSlackHarness();
  });
  const db = () => h.t.db.storage.db;
  const press = (userId: string, actionId: string, requestId: string, responseId: string) =>
    h.post(
      buttonPressBody({ userId, actionId, value: requestId, responseUrl: h.fake.responseUrl(responseId) }),
    );
  const posted = (requestId: string) =>
    eventually(async () => {
      const [r] = await db().select().from(oversightRequests).where(eq(oversightRequests.id, requestId));
      return r?.slackTs ? r : undefined;
    });

  it('a required event from the case-event API posts exactly one notice, with no free text of the event', async () => {
    const sent = event({
      type: 'police.arrest',
      case: { crn: 'X200001', service: 'youth', team: 'YOT-N', caseManager: 'cm-ali' },
      data: {
        offenceCategory: 'violence',
        note: 'Arrested with Jane Doe at 4 Elm Road <!channel>',
        personName: 'Jane Doe',
      },
    });
    const answer = await postEvents(h.t.url, sent);
    expect(answer.status).toBe(202);
    expect(answer.body.results?.[0]?.outcome).toBe('required');
    const post = await eventually(() =>
      h.fake.of('chat.postMessage', 'C0MANAGERS').find((c) => text(c).includes('X200001')),
    );
    // A notice raised afterwards, for the same channel, has been posted: a second post of this
    // one would have gone out before it.
    await h.raise('X200091');
    await eventually(() =>
      h.fake.of('chat.postMessage', 'C0MANAGERS').find((c) => text(c).includes('X200091')),
    );
    expect(h.fake.of('chat.postMessage').filter((c) => text(c).includes('X200001'))).toHaveLength(1);
    const body = text(post);
    expect(body).toContain('<@U0ALI>');
    expect(body).not.toContain('Jane Doe');
    expect(body).not.toContain('Elm Road');
    expect(body).not.toContain('<!channel>');
    const [request] = await db().select().from(oversightRequests).where(eq(oversightRequests.crn, 'X200001'));
    expect(await posted(request!.id)).toMatchObject({
      slackChannel: 'C0MANAGERS',
      slackTs: post.body.ts ?? expect.any(String),
    });
  });

  it('names from the directory are escaped in the channel: no broadcast or forged mention', async () => {
    await makeStaff(db(), 'cm-eve', 'case_manager', {
      name: '<!channel> Eve <@U0SAM> <http://evil.example|x>',
    });
    await makeCase(db(), 'X200002', { caseManagerCode: 'cm-eve' });
    const { requestId } = await h.t.app.services.refer(
      { staffCode: 'cm-ali', surface: 'slack' },
      {
        crn: 'X200002',
        reason: 'Told me of threats <!channel> from <@U0SAM>',
      },
    );
    await posted(requestId);
    const post = h.fake.of('chat.postMessage').find((c) => text(c).includes('X200002'));
    const body = text(post);
    expect(body).not.toMatch(/<!channel>|<@U0SAM>|<http:\/\/evil/);
    expect(body).toContain('&lt;!channel&gt; Eve');
    expect(body).not.toContain('threats');
  });

  /** The request is still open; the refused acknowledgements audited on it. */
  const stillOpenAndRefused = async (requestId: string) => {
    const [row] = await db().select().from(oversightRequests).where(eq(oversightRequests.id, requestId));
    expect(row?.status).toBe('open');
    return db()
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.subjectId, requestId), eq(auditLog.action, 'request.acknowledge.refused')));
  };

  it('a case manager pressing Acknowledge is refused, privately, and the attempt is audited', async () => {
    const requestId = await h.raise('X200003');
    await posted(requestId);
    const answer = await press('U0ALI', 'oversight_acknowledge', requestId, 'ack-cm');
    expect(answer.status).toBe(200);
    const reply = await eventually(() =>
      h.fake.calls.find((c) => c.method === 'respond' && text(c).includes('only a manager')),
    );
    expect(reply.body).toMatchObject({ response_type: 'ephemeral', replace_original: false });
    expect(await stillOpenAndRefused(requestId)).toMatchObject([{ actor: 'cm-ali', surface: 'slack' }]);
  });

  it('someone not in the directory is told so politely, nothing changes, and the attempt is audited', async () => {
    const requestId = await h.raise('X200004');
    await press('U0NOBODY', 'oversight_acknowledge', requestId, 'ack-nobody');
    await eventually(() =>
      h.fake.calls.find((c) => c.method === 'respond' && text(c).includes("I don't know you yet")),
    );
    expect(await stillOpenAndRefused(requestId)).toMatchObject([
      { actor: 'slack', surface: 'slack', detail: { role: 'unknown' } },
    ]);
  });

  it('two managers pressing Acknowledge at once make one acknowledgement; the notice is updated in place', async () => {
    const requestId = await h.raise('X200005');
    const { slackTs } = await posted(requestId);
    const answers = await Promise.all([
      press('U0SAM', 'oversight_acknowledge', requestId, 'ack-sam'),
      press('U0JO', 'oversight_acknowledge', requestId, 'ack-jo'),
    ]);
    expect(answers.map((a) => a.status)).toEqual([200, 200]);
    const [row] = await eventually(async () => {
      const rows = await db().select().from(oversightRequests).where(eq(oversightRequests.id, requestId));
      return rows[0]?.status === 'acknowledged' ? rows : undefined;
    });
    const acks = await db()
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.subjectId, requestId), eq(auditLog.action, 'request.acknowledged')));
    expect(acks).toHaveLength(1);
    expect(['mgr-sam', 'mgr-jo']).toContain(row!.acknowledgedBy);
    await eventually(() =>
      h.fake.calls.find((c) => c.method === 'respond' && text(c).includes('already acknowledged')),
    );
    const update = await eventually(() => h.fake.of('chat.update').find((c) => c.body.ts === slackTs));
    expect(update.body.channel).toBe('C0MANAGERS');
    expect(text(update)).toMatch(/acknowledged by <@U0(SAM|JO)>/);
    expect(text(update)).not.toContain('oversight_acknowledge');
  });

  it('Escalate sends the team lead a direct message linking the notice, and is audited', async () => {
    const requestId = await h.raise('X200006');
    await posted(requestId);
    await press('U0ALI', 'oversight_escalate', requestId, 'esc');
    await eventually(() =>
      h.fake.calls.find((c) => c.method === 'respond' && text(c).includes('Escalated X200006')),
    );
    const dm = await eventually(() =>
      h.fake.of('chat.postMessage', 'U0KIM').find((c) => text(c).includes('X200006')),
    );
    expect(text(dm)).toContain('View the oversight notice');
    const [audit] = await db()
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.subjectId, requestId), eq(auditLog.action, 'request.escalated')));
    expect(audit?.actor).toBe('cm-ali');
  });

  describe('recording oversight in the modal', () => {
    let requestId: string;
    let modal: { callback_id: string; private_metadata: string; blocks: Array<{ block_id?: string }> };
    beforeAll(async () => {
      requestId = await h.raise('X200007');
      await posted(requestId);
    });

    it('Record oversight opens the form for a manager, and refuses a case manager before they fill it in', async () => {
      await press('U0ALI', 'oversight_record', requestId, 'rec-cm');
      await eventually(() =>
        h.fake.calls.find((c) => c.method === 'respond' && text(c).includes('can record oversight')),
      );
      expect(h.fake.of('views.open')).toHaveLength(0);
      await press('U0SAM', 'oversight_record', requestId, 'rec-sam');
      const open = await eventually(() => h.fake.of('views.open')[0]);
      expect(open.body.trigger_id).toBe('trigger-1');
      modal = open.body.view as typeof modal;
      expect(modal.callback_id).toBe(callbackIds.recordModal);
      expect(modal.blocks.map((b) => b.block_id)).toEqual(
        expect.arrayContaining(['rationale', 'actions.1.owner']),
      );
    });

    const values = (rationale: string) => ({
      'assurances.victimsProtected.rating': {
        value: { type: 'static_select', selected_option: { value: 'insufficient' } },
      },
      'assurances.victimsProtected.note': {
        value: { type: 'plain_text_input', value: 'Safety plan out of date' },
      },
      'assurances.assessmentAndPlanning.rating': {
        value: { type: 'static_select', selected_option: { value: 'sufficient' } },
      },
      'assurances.assessmentAndPlanning.note': { value: { type: 'plain_text_input', value: null } },
      'assurances.timelyAndResponsive.rating': {
        value: { type: 'static_select', selected_option: { value: 'sufficient' } },
      },
      'assurances.timelyAndResponsive.note': { value: { type: 'plain_text_input', value: null } },
      'assurances.escalation.rating': {
        value: { type: 'static_select', selected_option: { value: 'not_applicable' } },
      },
      'assurances.escalation.note': { value: { type: 'plain_text_input', value: null } },
      deficits: { value: { type: 'plain_text_input', value: 'Plan not shared with police' } },
      rationale: { value: { type: 'plain_text_input', value: rationale } },
      'variance.procedure': { value: { type: 'plain_text_input', value: null } },
      'variance.reason': { value: { type: 'plain_text_input', value: null } },
      evidence: { value: { type: 'checkboxes', selected_options: [{ value: 'case_discussion' }] } },
      'actions.1.description': { value: { type: 'plain_text_input', value: 'Revise the safety plan' } },
      'actions.1.owner': { value: { type: 'static_select', selected_option: { value: 'cm-ali' } } },
      'actions.1.due': { value: { type: 'datepicker', selected_date: due1 } },
      'actions.2.description': { value: { type: 'plain_text_input', value: null } },
      'actions.2.owner': { value: { type: 'static_select', selected_option: null } },
      'actions.2.due': { value: { type: 'datepicker', selected_date: null } },
    });
    const submit = (userId: string, rationale: string) =>
      h.post(
        viewSubmissionBody({
          userId,
          callbackId: modal.callback_id,
          privateMetadata: modal.private_metadata,
          values: values(rationale),
        }),
      );

    it('an empty rationale comes back as an inline error and nothing is stored', async () => {
      const answer = await submit('U0SAM', '   ');
      expect(answer.status).toBe(200);
      expect(answer.json()).toEqual({
        response_action: 'errors',
        errors: { rationale: 'Rationale is required' },
      });
      expect(
        await db().select().from(oversightRecords).where(eq(oversightRecords.requestId, requestId)),
      ).toHaveLength(0);
      expect(await db().select().from(actions).where(eq(actions.requestId, requestId))).toHaveLength(0);
    });

    it('a valid record stores the record and its actions, and both export formats show them', async () => {
      const answer = await submit('U0SAM', 'Safety plan must be revised <!channel> before next contact');
      const body = answer.json() as { response_action: string; view: unknown };
      expect(body.response_action).toBe('update');
      expect(JSON.stringify(body.view)).toMatch(new RegExp(`A\\d+: Ali Shah, due ${due1}`));
      const [record] = await db()
        .select()
        .from(oversightRecords)
        .where(eq(oversightRecords.requestId, requestId));
      expect(record).toMatchObject({
        by: 'mgr-sam',
        evidence: ['case_discussion'],
        deficits: 'Plan not shared with police',
      });
      const stored = await db().select().from(actions).where(eq(actions.requestId, requestId));
      expect(stored).toMatchObject([
        { description: 'Revise the safety plan', ownerCode: 'cm-ali', dueDate: due1 },
      ]);

      const res = await fetch(`${h.t.url}/api/v1/cases/X200007/record`, {
        headers: { authorization: `Bearer ${recordApiToken}` },
      });
      expect(res.status).toBe(200);
      const json = (await res.json()) as Awaited<ReturnType<typeof h.t.app.services.caseRecord>>;
      const request = json.requests[0]!;
      expect(request.status).toBe('recorded');
      expect(request.records[0]).toMatchObject({
        by: 'mgr-sam',
        rationale: 'Safety plan must be revised <!channel> before next contact',
        assurances: { victimsProtected: { rating: 'insufficient', note: 'Safety plan out of date' } },
        evidence: ['case_discussion'],
      });
      expect(request.actions[0]).toMatchObject({
        ref: stored[0]!.ref,
        owner: 'cm-ali',
        due: due1,
        status: 'open',
      });
      expect(json.audit.map((a) => a.action)).toEqual(
        expect.arrayContaining(['record.created', 'action.created']),
      );

      const md = caseRecordMarkdown(json);
      expect(md).toContain('- Rationale: Safety plan must be revised \\<!channel\\> before next contact');
      expect(md).toContain(
        `**${stored[0]!.ref}** Revise the safety plan · owner cm-ali · due ${due1} · open`,
      );
      expect(md).toContain('- Victims protected: insufficient: Safety plan out of date');

      // The notice in the channel shows the record and the open action.
      const update = await eventually(() =>
        h.fake
          .of('chat.update')
          .find((c) => text(c).includes('Remedial actions') && text(c).includes(stored[0]!.ref)),
      );
      expect(text(update)).toContain('recorded by <@U0SAM>');
      expect(text(update)).not.toContain('Revise the safety plan');
    });
  });

  it('/oversight is acknowledged at once and answered privately through response_url', async () => {
    const answer = await h.post(
      slashCommandBody({ userId: 'U0ALI', text: 'help', responseUrl: h.fake.responseUrl('cmd') }),
    );
    expect(answer.status).toBe(200);
    const reply = await eventually(() =>
      h.fake.calls.find(
        (c) =>
          c.method === 'respond' &&
          c.body.response_type === 'ephemeral' &&
          text(c).toLowerCase().includes('refer'),
      ),
    );
    expect(reply.body.replace_original).toBe(false);
    await h.post(
      slashCommandBody({ userId: 'U0NOBODY', text: 'help', responseUrl: h.fake.responseUrl('cmd2') }),
    );
    await eventually(() =>
      h.fake.calls.find((c) => c.method === 'respond' && text(c).includes("I don't know you yet")),
    );
  });

  it('requests that are not signed by Slack are refused', async () => {
    const body = slashCommandBody({
      userId: 'U0SAM',
      text: 'help',
      responseUrl: h.fake.responseUrl('forged'),
    });
    const forged = await postToSlackEndpoint(`${h.t.url}/slack/events`, 'wrong-secret', body);
    expect(forged.status).toBe(401);
    const stale = await postToSlackEndpoint(`${h.t.url}/slack/events`, 'slack-test-signing-secret', body, {
      timestamp: Math.floor(Date.now() / 1000) - 600,
    });
    expect(stale.status).toBe(401);
    expect(h.fake.calls.some((c) => c.method === 'respond' && text(c).includes('forged'))).toBe(false);
    // Bolt was given its authorization: it never calls auth.test (which would crash start-up offline).
    expect(h.fake.of('auth.test')).toHaveLength(0);
  });
});
