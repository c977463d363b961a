import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  type BadInputHarness,
  people,
  startBadInputHarness,
  teamsRecordData,
} from './support/bad-input-harness.ts';
import { snapshot } from './support/bad-input-snapshot.ts';
import { cardAction, message } from './support/teams-activity.ts';

/**
 * Bad input at POST /api/messages (Teams, no credentials, as outside production): bodies that are
 * not activities, card buttons pointing nowhere or with no one behind them, and record forms with
 * values the form never offers. Each is refused and changes nothing.
 */

const { manager } = people;
const nested = (depth: number) => `${'['.repeat(depth)}${']'.repeat(depth)}`;

describe('Teams: bad input is refused and changes nothing', () => {
  let h: BadInputHarness;
  beforeAll(async () => {
    h = await startBadInputHarness();
  });
  const db = () => h.t.db.storage.db;
  const raw = async (body: string, contentType = 'application/json') => {
    const res = await fetch(`${h.t.url}/api/messages`, {
      method: 'POST',
      headers: { 'content-type': contentType },
      body,
    });
    return { status: res.status, text: await res.text() };
  };

  it.each([
    ['a Microsoft service URL', 'https://smba.trafficmanager.net/uk/'],
    ['a private-network host', 'http://10.1.2.3:3978/'],
    ['a host that only starts like loopback', 'http://127.0.0.1.attacker.example/'],
  ])(
    'an unauthenticated acknowledgement naming %s as serviceUrl: 403, nothing sent or changed',
    async (_name, serviceUrl) => {
      const before = await snapshot(db());
      const calls = h.connector.calls.length;
      const res = await fetch(`${h.t.url}/api/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(
          cardAction(serviceUrl, { aadObjectId: manager.aad }, 'acknowledge', {
            requestId: h.fixture.openRequest,
          }),
        ),
      });
      expect(res.status).toBe(403);
      expect(await res.json()).toMatchObject({ fields: [{ path: 'serviceUrl' }] });
      expect(h.connector.calls).toHaveLength(calls);
      expect(await snapshot(db())).toEqual(before);
    },
  );

  describe('bodies that are not activities', () => {
    const bodies: Array<[name: string, body: () => string, contentType: string, status: number]> = [
      ['truncated JSON', () => '{"type": "message", "text": "confirm', 'application/json', 400],
      ['plain text', () => 'confirm A2', 'text/plain', 400],
      ['a JSON array', () => '[{"type":"message"}]', 'application/json', 400],
      ['JSON null', () => 'null', 'application/json', 400],
      [
        'a message with nothing else',
        () => '{"type":"message","text":"confirm A2"}',
        'application/json',
        400,
      ],
      ['arrays nested 100,000 deep', () => nested(100_000), 'application/json', 400],
      [
        'a message with 2 MB of text',
        () => JSON.stringify({ type: 'message', text: 'x'.repeat(2_000_000) }),
        'application/json',
        413,
      ],
    ];
    it.each(bodies)('%s: %i', async (_name, body, contentType, status) => {
      const before = await snapshot(db());
      const answer = await raw(body(), contentType);
      expect(answer.status).toBe(status);
      expect(answer.text).not.toMatch(/at .*\.(ts|js):\d+/);
      expect(await snapshot(db())).toEqual(before);
    });
  });

  // An activity with no type, service URL or conversation is refused before the SDK sees it.
  it('an empty activity {}: 400', async () => {
    const before = await snapshot(db());
    const answer = await raw('{}');
    expect(await snapshot(db())).toEqual(before);
    expect(answer.status).toBe(400);
  });

  describe('card buttons that point nowhere', () => {
    it.each([
      ['no request id', () => ({}), /no longer exists/],
      ['a random request id', () => ({ requestId: randomUUID() }), /no longer exists/],
      ['an id of 36 dashes', () => ({ requestId: '-'.repeat(36) }), /no longer exists/],
      ['SQL for an id', () => ({ requestId: "' or 1=1 --" }), /no longer exists/],
      ['a number for an id', () => ({ requestId: 42 }), /no longer exists/],
    ])('Acknowledge with %s', async (_name, data, reply) => {
      const before = await snapshot(db());
      const answer = await h.teamsPress(manager, 'acknowledge', data());
      expect(answer).toMatchObject({ status: 200, text: expect.stringMatching(reply) });
      expect(await snapshot(db())).toEqual(before);
    });

    it('a verb no card of ours carries is not run', async () => {
      const before = await snapshot(db());
      const answer = await h.teamsPress(manager, 'deleteEverything', { requestId: h.fixture.openRequest });
      expect(answer.status).toBeGreaterThanOrEqual(400);
      expect(await snapshot(db())).toEqual(before);
    });

    it('a press from someone Teams does not identify is refused politely', async () => {
      const before = await snapshot(db());
      const activity = cardAction(h.connector.serviceUrl, { aadObjectId: manager.aad }, 'acknowledge', {
        requestId: h.fixture.openRequest,
      }) as { from: Record<string, unknown> };
      delete activity.from.aadObjectId;
      const res = await fetch(`${h.t.url}/api/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(activity),
      });
      expect(JSON.stringify(await res.json())).toMatch(/I don't know you yet/);
      expect(await snapshot(db())).toEqual(before);
    });

    it('text that is only markup gets the help, not a guess', async () => {
      const before = await snapshot(db());
      expect(await h.teamsText(manager, '<at>Oversight</at> <p>&nbsp;</p>')).toMatch(/Oversight commands/);
      expect(await snapshot(db())).toEqual(before);
    });

    it('a typed command from a conversation Teams says is a channel still answers only the sender', async () => {
      const before = await snapshot(db());
      const typed = message(h.connector.serviceUrl, { aadObjectId: manager.aad }, 'confirm A999999999', {
        id: '19:managers@thread.tacv2',
        conversationType: 'channel',
      } as never);
      await fetch(`${h.t.url}/api/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(typed),
      });
      const reply = await h.connector.waitFor((c) => c.kind === 'reply' && c.activityId === typed.id);
      expect(JSON.stringify(reply.body)).toMatch(/No action A999999999/);
      expect(await snapshot(db())).toEqual(before);
    });
  });

  describe('a record form with values the form never offers', () => {
    const submit = (data: Record<string, unknown>) => h.teamsPress(manager, 'recordSubmit', data);
    it.each([
      [
        'a rating that is not one of the three',
        { victimsProtected_rating: 'excellent' },
        /choose sufficient, insufficient or not applicable/,
      ],
      ['a due date that is not a date', { action1_due: 'tomorrow' }, /Due date must be a date/],
      ['an owner from another team', { action1_owner: 'cm-sue' }, /Owner must be a member of team YOT-N/],
      ['an owner nobody knows', { action1_owner: "nobody' or 1=1" }, /Owner must be a member of team YOT-N/],
      ['a rationale of only white space', { rationale: ' \n\t ' }, /Rationale is required/],
      [
        'a procedure named with no reason for the variance',
        { varianceProcedure: 'MAPPA guidance' },
        /Reason for variance is required/,
      ],
      ['evidence the form does not offer', { evidence: 'case_discussion,hearsay' }, /not saved/],
      ['a NUL character in the rationale', { rationale: 'a\u0000b' }, /NUL/],
      ['a 6,000-character rationale', { rationale: 'r'.repeat(6000) }, /too long/],
    ])('%s: the form comes back with the error, nothing stored', async (_name, change, error) => {
      const before = await snapshot(db());
      const answer = await submit({ ...teamsRecordData(h.fixture.openRequest), ...change });
      expect(answer.text).toMatch(/not saved/);
      expect(answer.text).toMatch(error);
      expect(await snapshot(db())).toEqual(before);
    });
  });
});
