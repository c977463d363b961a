import { randomBytes } from 'node:crypto';
import { signedHeaders } from '../src/cases/index.ts';
import { isoDaysAfter } from './support/dates.ts';

/** When a test event occurred unless it says otherwise: a day before the test file started. */
export const eventTime = isoDaysAfter(-1);

/** Helpers for tests of the case-event API: valid events and really signed requests. */

export const secret = 'test-events-secret';

type EventOverrides = {
  id?: string;
  source?: string;
  type?: string;
  occurredAt?: string;
  case?: Record<string, unknown>;
  data?: Record<string, unknown>;
};

/** A valid `risk.assessed` event for a youth case on team YOT-N, with a fresh id. */
export function event(overrides: EventOverrides = {}): Record<string, unknown> {
  return {
    id: `ev-${randomBytes(6).toString('hex')}`,
    source: 'test-feed',
    type: 'risk.assessed',
    occurredAt: eventTime,
    data: { rosh: 'LOW' },
    ...overrides,
    case: { crn: 'X100001', service: 'youth', team: 'YOT-N', caseManager: 'cm-ali', ...overrides.case },
  };
}

export type Answer = {
  status: number;
  body: {
    results?: Array<{
      index: number;
      id: string;
      source: string;
      status: 'accepted' | 'duplicate';
      outcome: 'required' | 'watch' | 'none';
      rule: string;
      reason: string;
      policyVersion: string;
      requestId?: string;
    }>;
    error?: string;
    message?: string;
    fields?: Array<{ path: string; message: string }>;
  };
};

/** Posts a body (an object is JSON-encoded; a string is sent as is), signed unless told otherwise. */
export async function postEvents(
  url: string,
  body: unknown,
  options: { secret?: string; now?: Date; headers?: Record<string, string>; unsigned?: boolean } = {},
): Promise<Answer> {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  const headers = options.unsigned
    ? { 'content-type': 'application/json' }
    : signedHeaders(options.secret ?? secret, text, options.now);
  const res = await fetch(`${url}/api/v1/case-events`, {
    method: 'POST',
    headers: { ...headers, ...options.headers },
    body: text,
  });
  return { status: res.status, body: (await res.json()) as Answer['body'] };
}
