import { Writable } from 'node:stream';
import { afterAll } from 'vitest';
import { runCommand } from '../../commands/index.ts';
import { callbackIds } from '../../src/adapters/slack/ids.ts';
import type { ReplyView } from '../../src/chat/views.ts';
import type { Actor } from '../../src/context.ts';
import { createLogger } from '../../src/logger.ts';
import { startTestApp, type TestApp } from './app.ts';
import { daysFromToday } from './dates.ts';
import { makeCase, makeStaff, makeTeam, notApplicableAssurances } from './factories.ts';
import { FakeConnector } from './fake-connector.ts';
import { FakeSlack } from './fake-slack.ts';
import { eventually } from './slack-harness.ts';
import {
  buttonPressBody,
  postToSlackEndpoint,
  type SignedPost,
  slashCommandBody,
  viewSubmissionBody,
} from './slack-sign.ts';
import { activityCard, cardAction, cardText, invokeAnswer, message } from './teams-activity.ts';

/** A due date a month ahead in the team's timezone: the actions stay open, not overdue. */
const actionDue = daysFromToday(30);

// biome-ignore lint/suspicious/noExplicitAny: answers are free-form JSON; tests pick what they check.
type Json = any;

/** The signing secrets the harness runs with. */
export const slackSecret = 'bad-input-slack-secret';
export const eventsSecret = 'bad-input-events-secret';
export const recordApiToken = 'bad-input-record-api-token-of-32-characters';

/** Everyone the corpus acts as, with their Slack user id and Entra object id. */
export const people = {
  manager: { code: 'mgr-sam', slack: 'U0SAM', aad: 'aad-sam' },
  caseManager: { code: 'cm-ali', slack: 'U0ALI', aad: 'aad-ali' },
  otherCaseManager: { code: 'cm-bo', slack: 'U0BO', aad: 'aad-bo' },
  teamLead: { code: 'tl-kim', slack: 'U0KIM', aad: 'aad-kim' },
  otherTeamManager: { code: 'mgr-pat', slack: 'U0PAT', aad: 'aad-pat' },
  otherTeamCaseManager: { code: 'cm-sue', slack: 'U0SUE', aad: 'aad-sue' },
  admin: { code: 'adm-ada', slack: 'U0ADA', aad: 'aad-ada' },
  unknown: { code: 'nobody', slack: 'U0NOBODY', aad: 'aad-nobody' },
} as const;

/** One of `people`. */
export type Who = (typeof people)[keyof typeof people];

/** The fixture the corpus attacks: ids of a live notice, actions in each state, another team's case. */
export type Fixture = {
  /** YOT-N's X100001: an open (unacknowledged) notice. */
  openRequest: string;
  /** YOT-N's X100002: a recorded notice with an open action and one awaiting confirmation. */
  recordedRequest: string;
  openAction: string;
  doneAction: string;
  /** YOT-S's X200001: another team's case, with an open notice. */
  otherTeamRequest: string;
};

export type BadInputHarness = {
  /** Everything the service logged so far (debug and up), to check that nothing personal was. */
  logs(): string;
  t: TestApp;
  slack: FakeSlack;
  connector: FakeConnector;
  fixture: Fixture;
  /** A signed Slack request to POST /slack/events; `reply` waits for what the person is told, if anything. */
  slackPost(
    body: string,
    options?: { timestamp?: number; signature?: string; secret?: string },
  ): Promise<SignedPost>;
  slackPress(who: Who, actionId: string, value: string): Promise<string>;
  slackCommand(who: Who, text: string): Promise<string>;
  /** Submits the Record-oversight modal as Slack would (the answer is the HTTP response). */
  slackSubmitRecord(
    who: Who,
    privateMetadata: string,
    values: Record<string, Record<string, unknown>>,
  ): Promise<string>;
  teamsPress(
    who: Who,
    verb: string,
    data: Record<string, unknown>,
  ): Promise<{ status: number; text: string }>;
  teamsText(who: Who, text: string): Promise<string>;
  /** The activity the bot answered typed text with (its card, entities and all). */
  teamsReply(who: Who, text: string): Promise<Json>;
  /** The platform-neutral command, as the console runs it. */
  command(who: Who, text: string): Promise<ReplyView>;
};

/**
 * The service with Slack (against a fake Web API), Teams (no credentials, against a fake
 * connector) and the case-event API on, and no worker: nothing changes in the background, so a
 * snapshot before and after an input shows exactly what the input changed. Directory: YOT-N
 * (manager, two case managers, lead, an admin) and YOT-S (manager, case manager).
 */
export async function startBadInputHarness(): Promise<BadInputHarness> {
  const slack = await new FakeSlack().start();
  const connector = await new FakeConnector().start();
  afterAll(async () => {
    await slack.stop();
    await connector.stop();
  });
  const logLines: string[] = [];
  const logSink = new Writable({
    write(chunk, _encoding, done) {
      logLines.push(String(chunk));
      done();
    },
  });
  const t = await startTestApp({
    env: {
      SLACK_BOT_TOKEN: 'xoxb-bad-input',
      SLACK_SIGNING_SECRET: slackSecret,
      SLACK_API_URL: slack.apiUrl,
      TEAMS_ENABLED: 'true',
      TEAMS_ALLOW_UNAUTHENTICATED: 'true',
      EVENTS_SIGNING_SECRET: eventsSecret,
      RECORD_API_TOKEN: recordApiToken,
    },
    logger: createLogger('debug', logSink),
  });
  const db = t.db.storage.db;
  await makeTeam(db, {
    leadCode: 'tl-kim',
    msteamsConversationId: '19:n@thread',
    msteamsServiceUrl: connector.serviceUrl,
  });
  await makeTeam(db, { code: 'YOT-S', name: 'South YOT', slackChannel: 'C0SOUTH' });
  const staff = (who: Who, role: Parameters<typeof makeStaff>[2], teamCode = 'YOT-N') =>
    makeStaff(db, who.code, role, {
      teamCode,
      slackUserId: who.slack,
      msteamsAadObjectId: who.aad,
      grade: 'SPO',
    });
  await staff(people.manager, 'manager');
  await staff(people.caseManager, 'case_manager');
  await staff(people.otherCaseManager, 'case_manager');
  await staff(people.teamLead, 'team_lead');
  await staff(people.admin, 'admin');
  await staff(people.otherTeamManager, 'manager', 'YOT-S');
  await staff(people.otherTeamCaseManager, 'case_manager', 'YOT-S');
  await makeCase(db, 'X100001');
  await makeCase(db, 'X100002');
  await makeCase(db, 'X200001', { teamCode: 'YOT-S', caseManagerCode: 'cm-sue' });

  const as = (code: string): Actor => ({ staffCode: code, surface: 'cli' });
  const services = t.app.services;
  const openRequest = (await services.refer(as('cm-ali'), { crn: 'X100001', reason: 'Disclosure' }))
    .requestId;
  const recordedRequest = (await services.refer(as('cm-ali'), { crn: 'X100002', reason: 'Call-out' }))
    .requestId;
  const recorded = await services.record(as('mgr-sam'), {
    requestId: recordedRequest,
    assurances: notApplicableAssurances,
    rationale: 'Plan to be revised',
    actions: [
      { description: 'Revise the safety plan', owner: 'cm-ali', due: actionDue },
      { description: 'Share the plan with police', owner: 'cm-ali', due: actionDue },
    ],
  });
  const [openAction, doneAction] = recorded.actions.map((a) => a.ref) as [string, string];
  await services.done(as('cm-ali'), { ref: doneAction, evidence: 'Shared by email' });
  const otherTeamRequest = (await services.refer(as('cm-sue'), { crn: 'X200001', reason: 'Arrest' }))
    .requestId;

  const slackEvents = `${t.url}/slack/events`;
  /** Waits for the next answer posted to a response_url after call number `from`. */
  const replyAfter = async (from: number) => {
    const call = await eventually(() => slack.calls.slice(from).find((c) => c.method === 'respond'), 5000);
    return JSON.stringify(call.body);
  };
  const postTeams = async (activity: unknown) => {
    const res = await fetch(`${t.url}/api/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(activity),
    });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : undefined };
  };

  const teamsReply = async (who: Who, text: string): Promise<Json> => {
    const typed = message(connector.serviceUrl, { aadObjectId: who.aad }, text);
    await postTeams(typed);
    return (await connector.waitFor((c) => c.kind === 'reply' && c.activityId === typed.id, 5000)).body;
  };

  return {
    logs: () => logLines.join(''),
    t,
    slack,
    connector,
    fixture: { openRequest, recordedRequest, openAction, doneAction, otherTeamRequest },
    slackPost: (body, options = {}) =>
      postToSlackEndpoint(slackEvents, options.secret ?? slackSecret, body, options),
    async slackPress(who, actionId, value) {
      const from = slack.calls.length;
      const body = buttonPressBody({
        userId: who.slack,
        actionId,
        value,
        responseUrl: slack.responseUrl('press'),
      });
      await postToSlackEndpoint(slackEvents, slackSecret, body);
      return replyAfter(from);
    },
    async slackCommand(who, text) {
      const from = slack.calls.length;
      const body = slashCommandBody({ userId: who.slack, text, responseUrl: slack.responseUrl('command') });
      await postToSlackEndpoint(slackEvents, slackSecret, body);
      return replyAfter(from);
    },
    async slackSubmitRecord(who, privateMetadata, values) {
      const body = viewSubmissionBody({
        userId: who.slack,
        callbackId: callbackIds.recordModal,
        privateMetadata,
        values,
      });
      return (await postToSlackEndpoint(slackEvents, slackSecret, body)).text;
    },
    async teamsPress(who, verb, data) {
      const answer = await postTeams(cardAction(connector.serviceUrl, { aadObjectId: who.aad }, verb, data));
      const { card, message: text } = invokeAnswer(answer.body as Json);
      return { status: answer.status, text: text ?? cardText(card) };
    },
    teamsReply,
    async teamsText(who, text) {
      return cardText(activityCard(await teamsReply(who, text)));
    },
    command: (who, text) =>
      runCommand({ services, actor: { staffCode: who.code, surface: 'console' } }, text),
  };
}

/** The Record-oversight modal's values as Slack submits them, with free text where given. */
export function slackRecordValues(
  text: Partial<Record<'note' | 'deficits' | 'rationale' | 'procedure' | 'reason' | 'action', string>> = {},
) {
  const input = (value: string | undefined) => ({
    value: { type: 'plain_text_input', value: value ?? null },
  });
  const select = (value: string | null) => ({
    value: { type: 'static_select', selected_option: value ? { value } : null },
  });
  return {
    'assurances.victimsProtected.rating': select('insufficient'),
    'assurances.victimsProtected.note': input(text.note),
    'assurances.assessmentAndPlanning.rating': select('sufficient'),
    'assurances.assessmentAndPlanning.note': input(undefined),
    'assurances.timelyAndResponsive.rating': select('sufficient'),
    'assurances.timelyAndResponsive.note': input(undefined),
    'assurances.escalation.rating': select('not_applicable'),
    'assurances.escalation.note': input(undefined),
    deficits: input(text.deficits),
    rationale: input(text.rationale ?? 'Plan to be revised'),
    'variance.procedure': input(text.procedure),
    'variance.reason': input(text.reason),
    evidence: { value: { type: 'checkboxes', selected_options: [{ value: 'case_discussion' }] } },
    'actions.1.description': input(text.action ?? 'Revise the plan'),
    'actions.1.owner': select('cm-ali'),
    'actions.1.due': { value: { type: 'datepicker', selected_date: actionDue } },
    'actions.2.description': input(undefined),
    'actions.2.owner': select(null),
    'actions.2.due': { value: { type: 'datepicker', selected_date: null } },
  };
}

/** The Teams record form's submitted values, with free text where given. */
export function teamsRecordData(
  requestId: string,
  text: Partial<Record<'note' | 'deficits' | 'rationale' | 'procedure' | 'reason' | 'action', string>> = {},
) {
  return {
    requestId,
    victimsProtected_rating: 'insufficient',
    victimsProtected_note: text.note ?? '',
    assessmentAndPlanning_rating: 'sufficient',
    timelyAndResponsive_rating: 'sufficient',
    escalation_rating: 'not_applicable',
    deficits: text.deficits ?? '',
    rationale: text.rationale ?? 'Plan to be revised',
    varianceProcedure: text.procedure ?? '',
    varianceReason: text.reason ?? '',
    evidence: 'case_discussion',
    action1_description: text.action ?? 'Revise the plan',
    action1_owner: 'cm-ali',
    action1_due: actionDue,
  };
}
