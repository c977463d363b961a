import { beforeAll, describe, expect, it } from 'vitest';
import { signBody, signedHeaders } from '../src/cases/index.ts';
import {
  type BadInputHarness,
  eventsSecret,
  recordApiToken,
  startBadInputHarness,
} from './support/bad-input-harness.ts';
import { snapshot } from './support/bad-input-snapshot.ts';
import { isoDaysAfter } from './support/dates.ts';
import { eventually } from './support/slack-harness.ts';

/**
 * Bad input at POST /api/v1/case-events: forged, stale and replayed signatures; malformed,
 * truncated, huge and deeply nested JSON; wrong content types; unknown types, teams and CRNs;
 * characters Postgres cannot store. Each is refused with its status and a message a sender can
 * act on, and nothing is stored.
 */

const event = (id: string, overrides: Record<string, unknown> = {}) => ({
  id,
  source: 'bad-input-feed',
  type: 'police.arrest',
  occurredAt: isoDaysAfter(-1),
  case: { crn: 'X100005', service: 'youth', team: 'YOT-N', caseManager: 'cm-ali' },
  data: { offenceCategory: 'violence' },
  ...overrides,
});
const valid = () => JSON.stringify(event(`ev-${Math.random().toString(36).slice(2)}`));
const nested = (depth: number) => `${'['.repeat(depth)}${']'.repeat(depth)}`;

type Sent = { body: string; headers: Record<string, string> };
const signed = (body: string, at = new Date()): Sent => ({
  body,
  headers: signedHeaders(eventsSecret, body, at),
});
const json = (value: unknown) => signed(JSON.stringify(value));
const withHeaders = (sent: Sent, headers: Record<string, string>): Sent => ({
  body: sent.body,
  headers: { ...sent.headers, ...headers },
});
const without = (sent: Sent, name: string): Sent => {
  const headers = { ...sent.headers };
  delete headers[name];
  return { body: sent.body, headers };
};
const minutes = (n: number) => new Date(Date.now() + n * 60_000);

/** What is sent, and the status, error code and message it must be refused with. */
type Case = [name: string, status: number, error: string, message: RegExp, request: () => Sent];

const signatures: Case[] = [
  [
    'no signature',
    401,
    'unauthenticated',
    /Signature is missing/,
    () => without(signed(valid()), 'x-oversight-signature'),
  ],
  [
    'no timestamp',
    401,
    'unauthenticated',
    /Timestamp is missing/,
    () => without(signed(valid()), 'x-oversight-timestamp'),
  ],
  [
    'a timestamp that is not unix seconds',
    401,
    'unauthenticated',
    /not unix seconds/,
    () => withHeaders(signed(valid()), { 'x-oversight-timestamp': new Date().toISOString() }),
  ],
  [
    'a signature made with another secret',
    401,
    'unauthenticated',
    /does not match/,
    () => {
      const body = valid();
      return { body, headers: signedHeaders('guessed-secret', body) };
    },
  ],
  [
    'a signature of another body (tampered)',
    401,
    'unauthenticated',
    /does not match/,
    () => {
      const body = valid();
      return { body: body.replace('violence', 'theft'), headers: signedHeaders(eventsSecret, body) };
    },
  ],
  [
    'a signature over another timestamp',
    401,
    'unauthenticated',
    /does not match/,
    () => {
      const body = valid();
      const at = Math.floor(Date.now() / 1000);
      return withHeaders(signed(body), { 'x-oversight-signature': signBody(eventsSecret, at - 10, body) });
    },
  ],
  [
    'another signature scheme (sha256=…)',
    401,
    'unauthenticated',
    /not v1=<hex>/,
    () => withHeaders(signed(valid()), { 'x-oversight-signature': `sha256=${'a'.repeat(64)}` }),
  ],
  [
    'a truncated signature',
    401,
    'unauthenticated',
    /not v1=<hex>/,
    () => {
      const sent = signed(valid());
      return withHeaders(sent, {
        'x-oversight-signature': sent.headers['x-oversight-signature']!.slice(0, 40),
      });
    },
  ],
  [
    'a request captured six minutes ago, replayed',
    401,
    'unauthenticated',
    /5 minutes/,
    () => signed(valid(), minutes(-6)),
  ],
  [
    'a timestamp six minutes in the future',
    401,
    'unauthenticated',
    /5 minutes/,
    () => signed(valid(), minutes(6)),
  ],
];

const bodies: Case[] = [
  ['an empty body', 400, 'invalid_input', /not valid JSON/, () => signed('')],
  ['malformed JSON', 400, 'invalid_input', /not valid JSON/, () => signed('{"id": "ev-1", "source": ')],
  [
    'a valid event truncated mid-string',
    400,
    'invalid_input',
    /not valid JSON/,
    () => signed(valid().slice(0, 60)),
  ],
  [
    'a byte-order mark before the JSON',
    400,
    'invalid_input',
    /not valid JSON/,
    () => signed(`\uFEFF${valid()}`),
  ],
  ['JSON null', 400, 'invalid_input', /send one event/, () => signed('null')],
  ['a bare string', 400, 'invalid_input', /send one event/, () => signed('"police.arrest"')],
  ['a number', 400, 'invalid_input', /send one event/, () => signed('42')],
  ['a bare array of events', 400, 'invalid_input', /send one event/, () => json([event('ev-array')])],
  ['an empty batch', 400, 'invalid_input', /events is empty/, () => json({ events: [] })],
  [
    'a batch with other keys beside events',
    400,
    'invalid_input',
    /holds only "events"/,
    () => json({ events: [event('ev-extra')], admin: true }),
  ],
  [
    '1,001 events in one batch',
    413,
    'too_large',
    /at most 1000 events/,
    () => json({ events: Array.from({ length: 1001 }, (_, i) => event(`ev-many-${i}`)) }),
  ],
  [
    'a body over 1 MiB',
    413,
    'too_large',
    /too large/,
    () => json(event('ev-huge', { data: { offenceCategory: 'violence', note: 'x'.repeat(1_100_000) } })),
  ],
  [
    'arrays nested 200 deep where a word belongs',
    400,
    'invalid_input',
    /problem/,
    () => signed(valid().replace('"violence"', nested(200))),
  ],
];

const contentTypes: Case[] = [
  [
    'text/plain',
    415,
    'unsupported_media_type',
    /application\/json/,
    () => withHeaders(signed(valid()), { 'content-type': 'text/plain' }),
  ],
  [
    'a form post',
    415,
    'unsupported_media_type',
    /application\/json/,
    () => withHeaders(signed(valid()), { 'content-type': 'application/x-www-form-urlencoded' }),
  ],
  [
    'multipart',
    415,
    'unsupported_media_type',
    /application\/json/,
    () => withHeaders(signed(valid()), { 'content-type': 'multipart/form-data; boundary=x' }),
  ],
  [
    'no content type',
    415,
    'unsupported_media_type',
    /application\/json/,
    () => without(signed(valid()), 'content-type'),
  ],
];

const values: Case[] = [
  [
    'an unknown event type',
    400,
    'invalid_input',
    /problem/,
    () => json(event('ev-type', { type: 'police.teleport' })),
  ],
  [
    'a team the directory does not hold',
    400,
    'invalid_input',
    /YOT-ZZ|team/,
    () =>
      json(
        event('ev-team', {
          case: { crn: 'X100006', service: 'youth', team: 'YOT-ZZ', caseManager: 'cm-ali' },
        }),
      ),
  ],
  [
    'a CRN that is not a letter and six digits',
    400,
    'invalid_input',
    /problem/,
    () => json(event('ev-crn', { case: { crn: "X1' or 1=1 --", service: 'youth', team: 'YOT-N' } })),
  ],
  [
    'a CRN with seven digits',
    400,
    'invalid_input',
    /problem/,
    () => json(event('ev-crn7', { case: { crn: 'X1000071', service: 'youth', team: 'YOT-N' } })),
  ],
  [
    'a CRN with a NUL character',
    400,
    'invalid_input',
    /problem/,
    () => json(event('ev-crn-nul', { case: { crn: 'X1\u0000', service: 'youth', team: 'YOT-N' } })),
  ],
  [
    'an occurredAt in year 0000',
    400,
    'invalid_input',
    /problem/,
    () => json(event('ev-year0', { occurredAt: '0000-01-01T00:00:00Z' })),
  ],
  [
    'an occurredAt on 30 February',
    400,
    'invalid_input',
    /problem/,
    () => json(event('ev-feb30', { occurredAt: `${new Date().getUTCFullYear()}-02-30T10:00:00Z` })),
  ],
  [
    'an unknown service',
    400,
    'invalid_input',
    /problem/,
    () => json(event('ev-svc', { case: { crn: 'X100007', service: 'space', team: 'YOT-N' } })),
  ],
  ['no event id', 400, 'invalid_input', /problem/, () => json(event('', { id: undefined }))],
  [
    'a NUL character in free text',
    400,
    'invalid_input',
    /problem/,
    () => json(event('ev-nul', { data: { offenceCategory: 'violence', note: 'a\u0000b' } })),
  ],
  [
    'an unpaired surrogate in free text',
    400,
    'invalid_input',
    /problem/,
    () => signed(valid().replace('"violence"', '"violence", "note": "\\ud800"')),
  ],
];

describe('bad input at the case-event API is refused and stores nothing', () => {
  let h: BadInputHarness;
  beforeAll(async () => {
    h = await startBadInputHarness();
  });
  const post = async ({ body, headers }: Sent) => {
    const res = await fetch(`${h.t.url}/api/v1/case-events`, { method: 'POST', headers, body });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  };

  describe.each([
    ['signatures', signatures],
    ['bodies', bodies],
    ['content types', contentTypes],
    ['unknown or unstorable values', values],
  ] as const)('%s', (_, cases) => {
    it.each(cases)('%s: %i %s', async (_name, status, error, message, request) => {
      const before = await snapshot(h.t.db.storage.db);
      const answer = await post(request());
      expect(answer).toMatchObject({ status, body: { error, message: expect.stringMatching(message) } });
      expect(await snapshot(h.t.db.storage.db)).toEqual(before);
    });
  });

  it('a request replayed within the five minutes is answered as a duplicate and changes nothing', async () => {
    const captured = json(event('ev-replayed'));
    expect((await post(captured)).status).toBe(202);
    const before = await snapshot(h.t.db.storage.db);
    const replay = await post(captured);
    expect(replay).toMatchObject({
      status: 202,
      body: { results: [{ id: 'ev-replayed', status: 'duplicate' }] },
    });
    expect(await snapshot(h.t.db.storage.db)).toEqual(before);
  });

  it.each([5000, 6500, 7999])(
    'JSON nested %i levels deep in free text: 400, nothing stored',
    async (depth) => {
      const before = await snapshot(h.t.db.storage.db);
      const answer = await post(
        signed(valid().replace('"violence"', `"violence", "note": ${nested(depth)}`)),
      );
      expect(answer).toMatchObject({ status: 400, body: { error: 'invalid_input' } });
      expect(JSON.stringify(answer.body)).toMatch(/nested too deeply/);
      expect(await snapshot(h.t.db.storage.db)).toEqual(before);
    },
  );

  it('an occurredAt no database can store is refused naming events[i].occurredAt', async () => {
    const before = await snapshot(h.t.db.storage.db);
    const answer = await post(
      json({
        events: [event('ev-fine'), event('ev-year-zero', { occurredAt: '0000-06-01T00:00:00+01:00' })],
      }),
    );
    expect(answer).toMatchObject({
      status: 400,
      body: { error: 'invalid_input', fields: [{ path: 'events[1].occurredAt' }] },
    });
    expect(await snapshot(h.t.db.storage.db)).toEqual(before);
  });

  it('a lower-case CRN is the same case as its upper-case form', async () => {
    const lower = { crn: 'x100009', service: 'youth', team: 'YOT-N', caseManager: 'cm-ali' };
    expect((await post(json(event('ev-lower', { case: lower })))).status).toBe(202);
    const upper = { ...lower, crn: 'X100009' };
    expect((await post(json(event('ev-upper', { case: upper })))).status).toBe(202);
    const { cases } = await snapshot(h.t.db.storage.db);
    expect(cases.filter((c) => c.crn.toUpperCase() === 'X100009').map((c) => c.crn)).toEqual(['X100009']);
  });

  it.each([
    ['a NUL character', 'X1%00'],
    ['seven digits', 'X1000011'],
    ['SQL', "X1'%20or%201=1"],
  ])('the record API with a CRN holding %s: 400 naming crn, nothing logged with it', async (_name, crn) => {
    const before = await snapshot(h.t.db.storage.db);
    const res = await fetch(`${h.t.url}/api/v1/cases/${crn}/record`, {
      headers: { authorization: `Bearer ${recordApiToken}` },
    });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: 'invalid_input', fields: [{ path: 'crn' }] });
    expect(h.logs()).not.toContain(decodeURIComponent(crn));
    expect(h.logs()).not.toContain(crn);
    expect(await snapshot(h.t.db.storage.db)).toEqual(before);
  });

  it('the record API upper-cases a CRN typed in lower case', async () => {
    const res = await fetch(`${h.t.url}/api/v1/cases/x100001/record`, {
      headers: { authorization: `Bearer ${recordApiToken}` },
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ crn: 'X100001' });
  });

  it('an upload the client aborts mid-body is logged as that, not as storage unavailable', async () => {
    const { request } = await import('node:http');
    const url = new URL(`${h.t.url}/api/v1/case-events`);
    const before = await snapshot(h.t.db.storage.db);
    await new Promise<void>((resolve) => {
      const req = request({
        host: url.hostname,
        port: url.port,
        path: url.pathname,
        method: 'POST',
        headers: { 'content-type': 'application/json', 'content-length': '100000' },
      });
      req.on('error', () => resolve());
      req.write('{"id": "ev-aborted", ');
      setTimeout(() => {
        req.destroy();
        resolve();
      }, 50);
    });
    await eventually(() => (/client aborted the request/.test(h.logs()) ? true : undefined), 5000);
    expect(h.logs()).not.toMatch(/storage unavailable/);
    expect(await snapshot(h.t.db.storage.db)).toEqual(before);
  });

  // Validation walks the body recursively; a body nested thousands of levels deep is refused as bad input.
  it('JSON nested 5,000 levels deep: 400', async () => {
    const before = await snapshot(h.t.db.storage.db);
    const answer = await post(signed(valid().replace('"violence"', nested(5000))));
    expect(await snapshot(h.t.db.storage.db)).toEqual(before);
    expect(answer.status).toBe(400);
  });
});
