import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { actionIds, callbackIds } from '../src/adapters/slack/ids.ts';
import {
  type BadInputHarness,
  people,
  slackRecordValues,
  slackSecret,
  startBadInputHarness,
} from './support/bad-input-harness.ts';
import { snapshot } from './support/bad-input-snapshot.ts';
import { makeCase } from './support/factories.ts';
import { eventually } from './support/slack-harness.ts';
import {
  buttonPressBody,
  slackSignature,
  slashCommandBody,
  viewSubmissionBody,
} from './support/slack-sign.ts';

/**
 * Bad input at POST /slack/events: requests Slack did not sign (forged, stale, tampered,
 * replayed), payloads no Slack client sends, ids and refs that do not exist, and a record form
 * whose hidden metadata was tampered with. Each is refused and changes nothing; nobody is
 * answered for a request Slack did not sign.
 */

const { manager, caseManager } = people;
const now = () => Math.floor(Date.now() / 1000);
const form = (payload: unknown) => new URLSearchParams({ payload: JSON.stringify(payload) }).toString();

describe('Slack: bad input is refused and changes nothing', () => {
  let h: BadInputHarness;
  beforeAll(async () => {
    h = await startBadInputHarness();
  });
  const db = () => h.t.db.storage.db;
  /** A signed (or deliberately mis-signed) post, the answer and any reply it caused. */
  const send = async (
    body: string,
    options: {
      contentType?: string;
      timestamp?: number;
      signature?: string;
      headers?: Record<string, string>;
    } = {},
  ) => {
    const before = h.slack.calls.length;
    const timestamp = options.timestamp ?? now();
    const res = await fetch(`${h.t.url}/slack/events`, {
      method: 'POST',
      headers: {
        'content-type': options.contentType ?? 'application/x-www-form-urlencoded',
        'x-slack-request-timestamp': String(timestamp),
        'x-slack-signature': options.signature ?? slackSignature(slackSecret, body, timestamp),
        ...options.headers,
      },
      body,
    });
    const text = await res.text();
    // A signed `status` (a handler that reads the database, as the refused ones would) sent after
    // this request was answered, and its reply seen: a handler that wrongly ran for this request
    // has had the same time to answer, so the check below would see it.
    const id = `sentinel-${randomUUID()}`;
    const sentinel = new URL(h.slack.responseUrl(id)).pathname;
    await signedPost(
      slashCommandBody({
        userId: manager.slack,
        text: 'status X100001',
        responseUrl: h.slack.responseUrl(id),
      }),
    );
    await eventually(() => h.slack.calls.slice(before).find((c) => c.path === sentinel));
    return {
      status: res.status,
      text,
      replies: h.slack.calls
        .slice(before)
        .filter((c) => c.method === 'respond' && !c.path.startsWith(sentinelPath)),
    };
  };
  /** Where the sentinels' replies go (FakeSlack.responseUrl); concurrent tests ignore every sentinel's. */
  const sentinelPath = '/respond/sentinel-';
  /** Posts a body signed as Slack would, and waits for the HTTP answer. */
  const signedPost = async (body: string) => {
    const timestamp = now();
    const res = await fetch(`${h.t.url}/slack/events`, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        'x-slack-request-timestamp': String(timestamp),
        'x-slack-signature': slackSignature(slackSecret, body, timestamp),
      },
      body,
    });
    expect(res.status).toBe(200);
    await res.text();
  };
  const confirmCommand = () =>
    slashCommandBody({
      userId: manager.slack,
      text: `confirm ${h.fixture.doneAction}`,
      responseUrl: h.slack.responseUrl('s'),
    });

  describe('requests Slack did not sign: 401, no answer to anyone', () => {
    it.each([
      [
        'signed with another secret',
        () => ({ signature: slackSignature('guessed', confirmCommand(), now()) }),
      ],
      [
        'signed six minutes ago (a replay)',
        () => {
          const at = now() - 360;
          return { timestamp: at, signature: slackSignature(slackSecret, confirmCommand(), at) };
        },
      ],
      [
        'signed ten minutes in the future (replayable for as long)',
        () => {
          const at = now() + 600;
          return { timestamp: at, signature: slackSignature(slackSecret, confirmCommand(), at) };
        },
      ],
      ['with no signature', () => ({ signature: '' })],
      ['with another signature scheme', () => ({ signature: `v1=${'0'.repeat(64)}` })],
      [
        'signed for another body (the user id changed)',
        () => ({
          signature: slackSignature(
            slackSecret,
            confirmCommand().replace(manager.slack, caseManager.slack),
            now(),
          ),
        }),
      ],
      ['with a timestamp that is not a number', () => ({ timestamp: Number.NaN, signature: 'v0=abc' })],
    ])('a command %s', async (_name, options) => {
      const before = await snapshot(db());
      const answer = await send(confirmCommand(), options());
      expect(answer.status).toBe(401);
      expect(answer.replies).toEqual([]);
      expect(await snapshot(db())).toEqual(before);
    });

    it('a press replayed within the five minutes does nothing the second time', async () => {
      const { requestId } = await h.t.app.services.refer(
        { staffCode: caseManager.code, surface: 'cli' },
        { crn: 'X100001', reason: 'Second concern' },
      );
      const press = buttonPressBody({
        userId: manager.slack,
        actionId: actionIds.acknowledge,
        value: requestId,
        responseUrl: h.slack.responseUrl('replay'),
      });
      const timestamp = now();
      const signature = slackSignature(slackSecret, press, timestamp);
      expect((await send(press, { timestamp, signature })).status).toBe(200);
      const before = await snapshot(db());
      const answered = h.slack.calls.length;
      const replay = await send(press, { timestamp, signature });
      expect(replay.status).toBe(200);
      // The replay is answered (after its database work, so possibly after the sentinel's reply).
      const reply = await eventually(() =>
        h.slack.calls.slice(answered).find((c) => c.path === new URL(h.slack.responseUrl('replay')).pathname),
      );
      expect(JSON.stringify(reply)).toMatch(/already acknowledged/);
      expect(await snapshot(db())).toEqual(before);
    });
  });

  it('a record form submission replayed (the same signed body again) makes no second record', async () => {
    await makeCase(db(), 'X100003');
    const { requestId } = await h.t.app.services.refer(
      { staffCode: caseManager.code, surface: 'cli' },
      { crn: 'X100003', reason: 'Disclosure' },
    );
    const body = viewSubmissionBody({
      userId: manager.slack,
      callbackId: callbackIds.recordModal,
      privateMetadata: JSON.stringify({ requestId }),
      values: slackRecordValues(),
    });
    const timestamp = now();
    const signature = slackSignature(slackSecret, body, timestamp);
    const first = await send(body, { timestamp, signature });
    expect(first.status).toBe(200);
    expect(first.text).toMatch(/Oversight recorded/);
    const before = await snapshot(db());
    expect(before.records.filter((r) => r.requestId === requestId)).toHaveLength(1);
    const replay = await send(body, { timestamp, signature });
    expect(replay.status).toBe(200);
    expect(replay.text).toMatch(/Oversight recorded/);
    expect(await snapshot(db())).toEqual(before);
  });

  describe('payloads no Slack client sends: a 4xx, nothing done', () => {
    // Concurrently: Bolt holds a request no listener takes for 3 s before answering 404.
    it.concurrent.each([
      ['a payload that is not JSON', 'payload=not-json', undefined, 400],
      ['an empty body', '', undefined, 404],
      ['a 3 MB body', 'x'.repeat(3_000_000), undefined, 404],
      [
        'a text/plain body',
        `command=%2Foversight&text=confirm+A2&user_id=${manager.slack}`,
        'text/plain',
        400,
      ],
      [
        'a button press with no buttons',
        form({ type: 'block_actions', user: { id: manager.slack } }),
        undefined,
        404,
      ],
      [
        'a button this app never rendered',
        form({
          type: 'block_actions',
          user: { id: manager.slack },
          actions: [{ type: 'button', action_id: 'oversight_delete_everything', value: 'all' }],
        }),
        undefined,
        404,
      ],
      [
        'a modal this app never opened',
        form({
          type: 'view_submission',
          user: { id: manager.slack },
          view: { callback_id: 'evil', state: { values: {} }, private_metadata: '' },
        }),
        undefined,
        404,
      ],
      ['an unknown interaction type', form({ type: 'nuke', user: { id: manager.slack } }), undefined, 404],
      ['another slash command', `command=%2Fdelete&text=all&user_id=${manager.slack}`, undefined, 404],
    ] as const)('%s', async (_name, body, contentType, status) => {
      const before = await snapshot(db());
      const answer = await send(body, { contentType });
      expect(answer.status).toBe(status);
      expect(answer.text).not.toMatch(/Error|at .*\.(ts|js):\d+/);
      expect(answer.replies).toEqual([]);
      expect(await snapshot(db())).toEqual(before);
    });

    it('an Events API callback this app does not listen to is acknowledged and does nothing', async () => {
      const before = await snapshot(db());
      const body = JSON.stringify({
        type: 'event_callback',
        team_id: 'TFAKE',
        event: { type: 'message', user: manager.slack, text: `confirm ${h.fixture.doneAction}` },
      });
      const answer = await send(body, { contentType: 'application/json' });
      expect(answer.status).toBeLessThan(500);
      expect(answer.replies).toEqual([]);
      expect(await snapshot(db())).toEqual(before);
    });

    // A signed button press without a user: Bolt cannot make sense of it, so it is bad input.
    it('a button press with no user: 4xx', async () => {
      const before = await snapshot(db());
      const answer = await send(
        form({
          type: 'block_actions',
          actions: [{ action_id: actionIds.acknowledge, value: h.fixture.openRequest }],
        }),
      );
      expect(await snapshot(db())).toEqual(before);
      expect(answer.status).toBeLessThan(500);
    });
  });

  describe('ids and refs that do not exist are answered, not guessed', () => {
    it.each([
      ['a random notice id', () => randomUUID()],
      ['an id of 36 dashes', () => '-'.repeat(36)],
      ['SQL in the button value', () => "' or 1=1 --"],
      ['an empty button value', () => ''],
    ])('Acknowledge with %s: "no longer exists"', async (_name, value) => {
      const before = await snapshot(db());
      expect(await h.slackPress(manager, actionIds.acknowledge, value())).toMatch(/no longer exists/);
      expect(await snapshot(db())).toEqual(before);
    });

    it.each([
      ['an action ref that does not exist', 'confirm A999999999', /No action A999999999/],
      ['a ref too long to be one', 'confirm A9999999999999', /is not an action's ref/],
      ['a ref with letters after it', 'reopen A1x because', /is not an action's ref/],
      ['SQL after a ref', "cancel A1' or '1'='1 reason", /is not an action's ref/],
      ['a CRN that does not exist', 'status Z999999', /I don't know case Z999999/],
      ['a CRN with seven digits', 'status X1000011', /is not a CRN/],
      ['a referral of a CRN that does not exist', 'refer Z999999 worried', /I don't know case Z999999/],
      ['Slack markup where the CRN goes', 'refer <!channel> worried', /is not a CRN/],
      ['an unknown command', 'delete everything', /I don't know the command .{1,2}delete/],
      ['5,000 characters of nonsense', 'x'.repeat(5000), /I don't know the command .{1,2}x{24}…/],
      ['confirm without a ref', 'confirm', /confirm needs an action's ref/],
      ['refer without a reason', 'refer X100001', /refer needs a reason/],
      ['evidence over 2,000 characters', `done A1 ${'y'.repeat(3000)}`, /Evidence is too long/],
    ])('/oversight with %s', async (_name, text, reply) => {
      const before = await snapshot(db());
      const answer = await h.slackCommand(manager, text);
      expect(answer).toMatch(reply);
      expect(answer).not.toMatch(/something went wrong/);
      expect(await snapshot(db())).toEqual(before);
    });
  });

  describe('a record form whose hidden metadata was tampered with', () => {
    it.each([
      ['broken JSON', () => '{', /no longer exists/],
      ['nothing', () => '', /no longer exists/],
      ['a made-up notice id', () => JSON.stringify({ requestId: 'nope' }), /no longer exists/],
      [
        'another team’s notice',
        () => JSON.stringify({ requestId: h.fixture.otherTeamRequest }),
        /only a manager of this case's team/,
      ],
    ])('pointing at %s: "Not recorded", nothing stored', async (_name, metadata, reply) => {
      const before = await snapshot(db());
      const answer = await h.slackSubmitRecord(manager, metadata(), slackRecordValues());
      expect(answer).toMatch(/Not recorded/);
      expect(answer).toMatch(reply);
      expect(await snapshot(db())).toEqual(before);
    });
  });
});
