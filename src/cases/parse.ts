import { AppError, type FieldError, invalid } from '../errors.ts';
import { formatPath } from '../yaml-file.ts';
import { type CaseEvent, caseEventSchema, maxEventsPerRequest } from './schemas.ts';

/** A validated request: its events, and each event exactly as sent (stored verbatim). */
export type CaseEventRequest = {
  events: CaseEvent[];
  envelopes: Record<string, unknown>[];
  /** Whether it came as `{ events: [...] }`; field paths then start `events[i].` */
  batch: boolean;
};

const maxFieldErrors = 100;

/** The path a sender sees for a field of event `index`: `events[3].case.team`, or `case.team` for one event. */
export function eventFieldPath(batch: boolean, index: number, path: readonly PropertyKey[]): string {
  return formatPath(batch ? ['events', index, ...path] : path);
}

/**
 * Validates a parsed JSON body: one event or `{ events: [...] }` of at most 1,000. Every problem is
 * reported with its field path, and nothing is accepted unless every event is valid.
 */
export function parseCaseEventRequest(body: unknown): CaseEventRequest {
  const isObject = typeof body === 'object' && body !== null && !Array.isArray(body);
  if (!isObject) throw invalid('send one event, or { "events": [ … ] }');
  const batch = 'events' in body;
  let raw: unknown[] = [body];
  if (batch) {
    const extra = Object.keys(body).filter((k) => k !== 'events');
    if (extra.length > 0) {
      throw invalid(
        'a batch holds only "events"',
        extra.map((k) => ({ path: k, message: 'unrecognized key' })),
      );
    }
    const events = (body as { events: unknown }).events;
    if (!Array.isArray(events))
      throw invalid('events must be an array', [{ path: 'events', message: 'must be an array' }]);
    if (events.length === 0)
      throw invalid('events is empty', [{ path: 'events', message: 'must hold at least one event' }]);
    if (events.length > maxEventsPerRequest) {
      throw new AppError(
        'too_large',
        `at most ${maxEventsPerRequest} events per request; got ${events.length}, split the batch`,
      );
    }
    raw = events;
  }

  const fields: FieldError[] = [];
  const parsed: CaseEvent[] = [];
  raw.forEach((event, index) => {
    const result = caseEventSchema.safeParse(event);
    if (result.success) parsed.push(result.data);
    else {
      for (const issue of result.error.issues) {
        fields.push({ path: eventFieldPath(batch, index, issue.path), message: issue.message });
      }
    }
    for (const path of hasUnstorableText(event) ? unstorableText(event) : []) {
      fields.push({
        path: eventFieldPath(batch, index, path),
        message: 'must not contain NUL characters or unpaired surrogates',
      });
    }
  });
  if (fields.length > 0) {
    const shown = fields.slice(0, maxFieldErrors);
    throw invalid(
      `${fields.length} problem${fields.length === 1 ? '' : 's'} in the request; nothing was stored`,
      shown,
    );
  }
  return { events: parsed, envelopes: raw as Record<string, unknown>[], batch };
}

const unpairedSurrogate = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const isUnstorable = (s: string) => s.includes('\u0000') || unpairedSurrogate.test(s);

/** Whether any string (key or value) is one Postgres cannot store; walks without allocating. */
function hasUnstorableText(value: unknown): boolean {
  if (typeof value === 'string') return isUnstorable(value);
  if (typeof value !== 'object' || value === null) return false;
  if (Array.isArray(value)) {
    for (const item of value) if (hasUnstorableText(item)) return true;
    return false;
  }
  for (const key in value) {
    if (isUnstorable(key) || hasUnstorableText((value as Record<string, unknown>)[key])) return true;
  }
  return false;
}

/** Paths of strings Postgres cannot store in jsonb; refusing them beats storing something else. */
function unstorableText(value: unknown, path: PropertyKey[] = []): PropertyKey[][] {
  if (typeof value === 'string') return isUnstorable(value) ? [path] : [];
  if (Array.isArray(value)) return value.flatMap((v, i) => unstorableText(v, [...path, i]));
  if (typeof value === 'object' && value !== null) {
    return Object.entries(value).flatMap(([k, v]) => [
      ...unstorableText(k, [...path, k]).slice(0, 1),
      ...unstorableText(v, [...path, k]),
    ]);
  }
  return [];
}
