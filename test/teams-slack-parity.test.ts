import { and, eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { actions, oversightRequests } from '../db/schema/index.ts';
import type { CaseRecord } from '../src/export/index.ts';
import { daysFromToday } from './support/dates.ts';
import { makeCase } from './support/factories.ts';
import { eventually, type SlackHarness, startSlackHarness } from './support/slack-harness.ts';
import { buttonPressBody, slashCommandBody, viewSubmissionBody } from './support/slack-sign.ts';
import { cardAction, message } from './support/teams-activity.ts';
import { aad, startTeamsHarness, type TeamsHarness } from './support/teams-harness.ts';

// A week ahead in the team's timezone: the action is open, not overdue.
const due = daysFromToday(7);

/**
 * One scenario, typed and pressed by the same people on Slack and on Teams: a case manager
 * refers a case, a manager acknowledges it and records oversight with a remedial action, the case
 * manager marks it done, the manager confirms it. Both leave the same record in the database; only
 * the surface in the audit log differs.
 */
const crn = 'X600001';
const reason = 'Disclosure at home visit';
const rationale = 'Safety plan must be revised before the next contact';

type Db = TeamsHarness['t']['db']['storage']['db'];

const requestOf = (db: Db) =>
  eventually(
    async () => (await db.select().from(oversightRequests).where(eq(oversightRequests.crn, crn)))[0],
  );
const statusIs = (db: Db, status: string) =>
  eventually(async () => {
    const [r] = await db
      .select()
      .from(oversightRequests)
      .where(and(eq(oversightRequests.crn, crn), eq(oversightRequests.status, status as 'open')));
    return r;
  });
const actionIs = (db: Db, status: string) =>
  eventually(async () =>
    (await db.select().from(actions).where(eq(actions.crn, crn))).find((a) => a.status === status),
  );

/** The record without what must differ between two runs: ids, times and the surface. */
function comparable(record: CaseRecord) {
  return {
    ...record,
    requests: record.requests.map((r) => ({
      status: r.status,
      acknowledgedBy: r.acknowledgedBy,
      closed: Boolean(r.closedAt),
      triggers: r.triggers.map(({ at: _at, ...t }) => t),
      records: r.records.map(({ id: _id, at: _at, ...x }) => x),
      actions: r.actions.map(({ id: _id, doneAt, confirmedAt, ...a }) => ({
        ...a,
        done: Boolean(doneAt),
        confirmed: Boolean(confirmedAt),
      })),
    })),
    audit: record.audit.map((a) => ({
      actor: a.actor,
      action: a.action,
      subjectType: a.subject.split(':')[0],
    })),
  };
}

describe('the same oversight on Slack and on Teams', () => {
  let slack: SlackHarness;
  let teams: TeamsHarness;
  beforeAll(async () => {
    [slack, teams] = await Promise.all([startSlackHarness(), startTeamsHarness()]);
    await makeCase(slack.t.db.storage.db, crn);
    await makeCase(teams.t.db.storage.db, crn);
  });

  async function onSlack(): Promise<CaseRecord> {
    const db = slack.t.db.storage.db;
    const command = (userId: string, text: string) =>
      slack.post(
        slashCommandBody({ userId, text, responseUrl: slack.fake.responseUrl(`${userId}-${text}`) }),
      );
    const press = (userId: string, actionId: string, value: string) =>
      slack.post(buttonPressBody({ userId, actionId, value, responseUrl: slack.fake.responseUrl(actionId) }));

    await command('U0ALI', `refer ${crn} ${reason}`);
    const request = await requestOf(db);
    await press('U0SAM', 'oversight_acknowledge', request.id);
    await statusIs(db, 'acknowledged');
    await press('U0SAM', 'oversight_record', request.id);
    const open = await eventually(() => slack.fake.of('views.open')[0]);
    const modal = open.body.view as { callback_id: string; private_metadata: string };
    const select = (value: string) => ({ value: { type: 'static_select', selected_option: { value } } });
    const input = (value: string | null) => ({ value: { type: 'plain_text_input', value } });
    await slack.post(
      viewSubmissionBody({
        userId: 'U0SAM',
        callbackId: modal.callback_id,
        privateMetadata: modal.private_metadata,
        values: {
          'assurances.victimsProtected.rating': select('insufficient'),
          'assurances.victimsProtected.note': input('Safety plan out of date'),
          'assurances.assessmentAndPlanning.rating': select('sufficient'),
          'assurances.assessmentAndPlanning.note': input(null),
          'assurances.timelyAndResponsive.rating': select('sufficient'),
          'assurances.timelyAndResponsive.note': input(null),
          'assurances.escalation.rating': select('not_applicable'),
          'assurances.escalation.note': input(null),
          deficits: input('Plan not shared with police'),
          rationale: input(rationale),
          'variance.procedure': input(null),
          'variance.reason': input(null),
          evidence: { value: { type: 'checkboxes', selected_options: [{ value: 'case_discussion' }] } },
          'actions.1.description': input('Revise the safety plan'),
          'actions.1.owner': select('cm-ali'),
          'actions.1.due': { value: { type: 'datepicker', selected_date: due } },
          'actions.2.description': input(null),
          'actions.2.owner': { value: { type: 'static_select', selected_option: null } },
          'actions.2.due': { value: { type: 'datepicker', selected_date: null } },
        },
      }),
    );
    const action = await actionIs(db, 'open');
    await command('U0ALI', `done ${action.ref} Plan revised and shared with police`);
    await actionIs(db, 'done_claimed');
    await command('U0SAM', `confirm ${action.ref}`);
    await statusIs(db, 'closed');
    return slack.t.app.services.caseRecord(crn);
  }

  async function onTeams(): Promise<CaseRecord> {
    const db = teams.t.db.storage.db;
    const url = teams.connector.serviceUrl;
    const type = (who: string, text: string) => teams.post(message(url, { aadObjectId: who }, text));
    const press = (who: string, verb: string, data: Record<string, unknown>) =>
      teams.post(cardAction(url, { aadObjectId: who }, verb, data));

    await type(aad.ali, `refer ${crn} ${reason}`);
    const request = await requestOf(db);
    await press(aad.sam, 'acknowledge', { requestId: request.id });
    await statusIs(db, 'acknowledged');
    await press(aad.sam, 'recordSubmit', {
      requestId: request.id,
      victimsProtected_rating: 'insufficient',
      victimsProtected_note: 'Safety plan out of date',
      assessmentAndPlanning_rating: 'sufficient',
      timelyAndResponsive_rating: 'sufficient',
      escalation_rating: 'not_applicable',
      deficits: 'Plan not shared with police',
      rationale,
      evidence: 'case_discussion',
      action1_description: 'Revise the safety plan',
      action1_owner: 'cm-ali',
      action1_due: due,
    });
    const action = await actionIs(db, 'open');
    await type(aad.ali, `done ${action.ref} Plan revised and shared with police`);
    await actionIs(db, 'done_claimed');
    await type(aad.sam, `confirm ${action.ref}`);
    await statusIs(db, 'closed');
    return teams.t.app.services.caseRecord(crn);
  }

  it('leaves the same oversight record, with the surface of each in the audit log', async () => {
    const [viaSlack, viaTeams] = await Promise.all([onSlack(), onTeams()]);
    expect(comparable(viaTeams)).toEqual(comparable(viaSlack));
    expect(viaTeams.requests[0]?.status).toBe('closed');
    expect(viaTeams.requests[0]?.records[0]).toMatchObject({
      by: 'mgr-sam',
      rationale,
      evidence: ['case_discussion'],
    });
    expect(viaTeams.requests[0]?.actions[0]).toMatchObject({
      status: 'confirmed',
      confirmedBy: 'mgr-sam',
      doneBy: 'cm-ali',
    });
    const staffSurfaces = (r: CaseRecord) =>
      new Set(r.audit.filter((a) => a.actor !== 'system').map((a) => a.surface));
    expect(staffSurfaces(viaSlack)).toEqual(new Set(['slack']));
    expect(staffSurfaces(viaTeams)).toEqual(new Set(['msteams']));
  });
});
