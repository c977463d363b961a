import { and, eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { actions, auditLog, oversightRecords, oversightRequests } from '../db/schema/index.ts';
import { verifyRecordLink } from '../src/tab/index.ts';
import { daysFromToday } from './support/dates.ts';
import { specFormLabels } from './support/factories.ts';
import { eventually } from './support/slack-harness.ts';
import { activityCard, cardAction, cardInputs, cardText, invokeAnswer } from './support/teams-activity.ts';
import { aad, startTeamsHarness, type TeamsHarness } from './support/teams-harness.ts';

// A week ahead in the team's timezone: open, not overdue, whenever the test runs.
const due = daysFromToday(7);

const filled = {
  victimsProtected_rating: 'insufficient',
  victimsProtected_note: 'Safety plan out of date',
  assessmentAndPlanning_rating: 'sufficient',
  timelyAndResponsive_rating: 'sufficient',
  escalation_rating: 'not_applicable',
  rationale: 'Safety plan must be revised before the next contact',
  evidence: 'case_discussion,assessment_revised',
  action1_description: 'Revise the safety plan',
  action1_owner: 'cm-ali',
  action1_due: due,
};

describe('recording oversight, escalating and the case record link in Teams', () => {
  let h: TeamsHarness;
  beforeAll(async () => {
    h = await startTeamsHarness();
  });
  const db = () => h.t.db.storage.db;
  const press = async (who: string, verb: string, data: Record<string, unknown>) =>
    invokeAnswer((await h.post(cardAction(h.connector.serviceUrl, { aadObjectId: who }, verb, data))).body);

  it('opens the record form with the SPEC labels for a manager of the team', async () => {
    const requestId = await h.raise('X300001');
    const { card } = await press(aad.sam, 'record', { requestId });
    const labels = Object.values(cardInputs(card)).map((i: { label: string }) => i.label);
    for (const label of specFormLabels) {
      expect(labels).toContain(label);
    }
    expect(cardInputs(card).action1_owner.choices.map((c: { value: string }) => c.value)).toEqual(
      expect.arrayContaining(['cm-ali', 'mgr-sam', 'tl-kim']),
    );
    expect(cardInputs(card).action1_owner.choices.map((c: { value: string }) => c.value)).not.toContain(
      'mgr-other',
    );
    const save = card.actions.find((a: { verb: string }) => a.verb === 'recordSubmit');
    expect(save.data).toEqual({ requestId });
  });

  it('refuses the form to a case manager and audits it', async () => {
    const requestId = await h.raise('X300002');
    const { message } = await press(aad.ali, 'record', { requestId });
    expect(message).toMatch(/only a manager of this case's team can record oversight/);
    const refused = await db()
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, 'record.create.refused'), eq(auditLog.subjectId, requestId)));
    expect(refused).toHaveLength(1);
  });

  it('shows the form again with errors under the fields and the values kept, storing nothing', async () => {
    const requestId = await h.raise('X300003');
    const { card } = await press(aad.sam, 'recordSubmit', {
      requestId,
      ...filled,
      rationale: '   ',
      action1_due: '',
    });
    const text = cardText(card);
    expect(text).toContain('The oversight record was not saved');
    expect(text).toContain('Rationale is required');
    expect(text).toContain('Due date must be a date');
    expect(cardInputs(card).victimsProtected_note.value).toBe('Safety plan out of date');
    expect(cardInputs(card).action1_description.value).toBe('Revise the safety plan');
    const records = await db()
      .select()
      .from(oversightRecords)
      .where(eq(oversightRecords.requestId, requestId));
    expect(records).toHaveLength(0);
  });

  it('saves a valid record with its remedial action and shows the notice with it', async () => {
    const requestId = await h.raise('X300004');
    const { card } = await press(aad.sam, 'recordSubmit', { requestId, ...filled });
    expect(cardText(card)).toMatch(/Oversight recorded: Sam Reed/);
    expect(cardText(card)).toMatch(new RegExp(`A\\d+ open, Ali Shah, due ${due}$`, 'm'));
    const [record] = await db()
      .select()
      .from(oversightRecords)
      .where(eq(oversightRecords.requestId, requestId));
    expect(record).toMatchObject({
      by: 'mgr-sam',
      rationale: 'Safety plan must be revised before the next contact',
      evidence: ['case_discussion', 'assessment_revised'],
      assurances: expect.objectContaining({
        victimsProtected: { rating: 'insufficient', note: 'Safety plan out of date' },
      }),
    });
    const rows = await db().select().from(actions).where(eq(actions.requestId, requestId));
    expect(rows.map((a) => [a.ownerCode, a.dueDate, a.description])).toEqual([
      ['cm-ali', due, 'Revise the safety plan'],
    ]);
    const audit = await db().select().from(auditLog).where(eq(auditLog.subjectId, record!.id));
    expect(audit[0]).toMatchObject({ action: 'record.created', surface: 'msteams', actor: 'mgr-sam' });

    // A second record on the same notice is a correction of the first.
    const again = await press(aad.jo, 'record', { requestId });
    expect(cardText(again.card)).toContain('This corrects the record made by Sam Reed');
    const save = again.card.actions.find((a: { verb: string }) => a.verb === 'recordSubmit');
    expect(save.data).toEqual({ requestId, supersedes: record!.id });
  });

  it('escalates to the team lead by a 1:1 Teams message, opening the chat once', async () => {
    const first = await h.raise('X300005');
    const { message } = await press(aad.ali, 'escalate', { requestId: first });
    expect(message).toMatch(/Escalated: Kim Lowe \(team lead\)/);
    const created = await h.connector.waitFor((c) => c.kind === 'create');
    expect(created.body).toMatchObject({
      isGroup: false,
      members: [{ id: aad.kim }],
      tenantId: 'tenant-test',
    });
    const dm = await h.connector.waitFor(
      (c) => c.kind === 'send' && c.conversationId?.startsWith('a:1to1-') === true,
    );
    expect(cardText(activityCard(dm.body))).toContain('Escalation: oversight notice for X300005');

    const second = await h.raise('X300006');
    await press(aad.sam, 'escalate', { requestId: second });
    await h.connector.waitFor((c) => c.kind === 'send' && cardText(activityCard(c.body)).includes('X300006'));
    expect(h.connector.of('create')).toHaveLength(1);
    const escalated = await db().select().from(oversightRequests).where(eq(oversightRequests.id, second));
    expect(escalated[0]?.status).toBe('open');
  });

  it('gives staff of the team a signed link to the case record, answered only to them', async () => {
    const requestId = await h.raise('X300007');
    const { card } = await press(aad.ali, 'caseRecord', { requestId });
    const open = card.actions.find((a: { type: string }) => a.type === 'Action.OpenUrl');
    const url = new URL(open.url);
    expect(url.pathname).toBe('/tab/record');
    const check = verifyRecordLink(h.t.config.linkSigningSecret, Object.fromEntries(url.searchParams));
    expect(check).toEqual({ ok: true, crn: 'X300007', staffCode: 'cm-ali' });

    const refused = await press(aad.other, 'caseRecord', { requestId });
    expect(refused.message).toMatch(/only staff of team YOT-N/);
    // Nothing about it went to the channel.
    await eventually(async () =>
      h.connector.calls.some((c) => cardText(activityCard(c.body)).includes('X300007')),
    );
    expect(h.connector.calls.filter((c) => JSON.stringify(c.body).includes('/tab/record'))).toHaveLength(0);
  });
});
