import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { type CaseEventResult, maxEventsPerRequest, signedHeaders } from '../cases/index.ts';
import { config, ExitError, type Io } from './runtime.ts';

type ErrorBody = { message?: string; fields?: Array<{ path: string; message: string }> };

export function registerEvent(program: Command, io: Io): void {
  const event = program.command('event').description('case events from information systems');
  event
    .command('send')
    .argument('<file>', 'JSON: one event, an array of events, or { "events": [ … ] }')
    .option('--url <url>', 'base URL of the service (default: http://127.0.0.1:$PORT)')
    .description('sign events with EVENTS_SIGNING_SECRET, post them, and print each outcome')
    .action(async (file: string, options: { url?: string }) => {
      const cfg = config();
      const secret = cfg.eventsSigningSecret;
      if (!secret) {
        throw new ExitError(
          'EVENTS_SIGNING_SECRET is not set: set it to the secret the service was started with',
        );
      }
      const { events, single } = readEvents(file);
      const base = (options.url ?? `http://127.0.0.1:${cfg.port}`).replace(/\/+$/, '');
      const totals = { accepted: 0, duplicate: 0, required: 0, watch: 0, none: 0 };
      // A file may hold more events than one request takes; each chunk is its own transaction.
      for (let offset = 0; offset < events.length; offset += maxEventsPerRequest) {
        const chunk = events.slice(offset, offset + maxEventsPerRequest);
        const results = await post(base, secret, single ? chunk[0] : { events: chunk }, offset);
        for (const r of results) {
          totals[r.status]++;
          if (r.status === 'accepted') totals[r.outcome]++;
          io.out(formatResult(r, offset));
        }
      }
      io.out(
        `${events.length} event${events.length === 1 ? '' : 's'}: ${totals.accepted} accepted ` +
          `(${totals.required} required, ${totals.watch} watch, ${totals.none} none), ${totals.duplicate} duplicate`,
      );
    });
}

function readEvents(file: string): { events: unknown[]; single: boolean } {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new ExitError(`cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? 'error'}`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new ExitError(`${file} is not valid JSON: ${(error as Error).message}`);
  }
  if (Array.isArray(value)) return { events: value, single: false };
  if (value && typeof value === 'object' && Array.isArray((value as { events?: unknown }).events)) {
    return { events: (value as { events: unknown[] }).events, single: false };
  }
  if (value && typeof value === 'object') return { events: [value], single: true };
  throw new ExitError(`${file} holds neither an event, an array of events, nor { "events": [ … ] }`);
}

async function post(
  base: string,
  secret: string,
  payload: unknown,
  offset: number,
): Promise<CaseEventResult[]> {
  const url = `${base}/api/v1/case-events`;
  const body = JSON.stringify(payload);
  let res: Response;
  try {
    res = await fetch(url, { method: 'POST', headers: signedHeaders(secret, body), body });
  } catch (error) {
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    const why = cause?.code ?? cause?.message ?? (error as Error).message;
    throw new ExitError(`cannot reach ${url} (${why}); is the service running?`);
  }
  const answer = (await res.json().catch(() => ({}))) as { results?: CaseEventResult[] } & ErrorBody;
  if (res.status === 202 && answer.results) return answer.results;
  // Field paths name events by their place in the file, not in the chunk.
  const fields = (answer.fields ?? []).map(
    (f) =>
      `  ${f.path.replace(/^events\[(\d+)\]/, (_, i: string) => `events[${Number(i) + offset}]`)}: ${f.message}`,
  );
  const lines = [`refused (${res.status}): ${answer.message ?? res.statusText}`, ...fields];
  if (offset > 0)
    lines.push(
      `the first ${offset} events were stored; resend the file: stored events come back as duplicates`,
    );
  throw new ExitError(lines.join('\n'));
}

function formatResult(r: CaseEventResult, offset: number): string {
  const request = r.requestId ? `  request ${r.requestId}` : '';
  return `${r.index + offset}  ${r.source}/${r.id}  ${r.status}  ${r.outcome}  ${r.rule}  ${r.reason}${request}`;
}
