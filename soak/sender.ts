import { signedHeaders } from '../src/cases/index.ts';
import { sleep } from './free-port.ts';
import { caseManagerOf, type SoakTeam } from './world.ts';

/** What the case-event sender saw: every event must end up stored, however often it had to retry. */
export type SenderStats = {
  batches: number;
  events: number;
  /** Answers that told it to try again later (503), and connections that failed (a process restarting). */
  retried503: number;
  retriedUnreachable: number;
  /** Batches refused for good (400, 401, 500…) or given up after the retry budget: both must be 0. */
  rejected: number;
  gaveUp: number;
  /** Ids of every event sent, and of those the service said it stored (accepted or duplicate). */
  sentIds: string[];
  storedIds: Set<string>;
  outcomes: Record<'required' | 'watch' | 'none', number>;
};

/** Counters at zero. */
export function newSenderStats(): SenderStats {
  return {
    batches: 0,
    events: 0,
    retried503: 0,
    retriedUnreachable: 0,
    rejected: 0,
    gaveUp: 0,
    sentIds: [],
    storedIds: new Set(),
    outcomes: { required: 0, watch: 0, none: 0 },
  };
}

type Kind = 'required' | 'watch' | 'none';

/** One event of the mix: a third need oversight, a third go on the watch list, a third need nothing. */
export function caseEvent(id: string, team: SoakTeam, crn: string, kind: Kind, roll: number) {
  const byKind: Record<Kind, Array<{ type: string; data: Record<string, unknown> }>> = {
    required: [
      { type: 'police.arrest', data: { offenceCategory: 'violence' } },
      { type: 'registration.added', data: { type: 'mappa' } },
      { type: 'police.callout', data: { domesticAbuse: true } },
    ],
    watch: [
      { type: 'police.callout', data: { domesticAbuse: false } },
      { type: 'court.appearance', data: { seriousOffence: false } },
    ],
    none: [
      { type: 'forum.held', data: { forum: 'mash', outcome: 'discussed' } },
      { type: 'screening.completed', data: { indicators: [] } },
    ],
  };
  const options = byKind[kind];
  const chosen = options[Math.floor(roll * options.length) % options.length]!;
  return {
    id,
    source: 'soak-feed',
    type: chosen.type,
    occurredAt: new Date().toISOString(),
    case: { crn, service: team.service, team: team.code, caseManager: caseManagerOf(team, crn).code },
    data: chosen.data,
  };
}

type Answer = { results?: Array<{ id: string; status: string; outcome: Kind }> };

/**
 * Posts a signed batch like a well-behaved sender: on 503 (storage down) or when the service cannot
 * be reached (a process restarting) it signs again with a fresh timestamp and retries, waiting as
 * Retry-After says; bounded in attempts and time. Anything else is a refusal, counted.
 */
export async function sendBatch(
  url: string,
  secret: string,
  events: Array<{ id: string }>,
  stats: SenderStats,
  budgetMs = 90_000,
): Promise<void> {
  const body = JSON.stringify(events.length === 1 ? events[0] : { events });
  stats.batches += 1;
  stats.events += events.length;
  stats.sentIds.push(...events.map((e) => e.id));
  const deadline = Date.now() + budgetMs;
  for (let attempt = 1; attempt <= 200 && Date.now() < deadline; attempt++) {
    let status: number;
    let wait = Math.min(2000, 100 * 2 ** Math.min(attempt, 5));
    try {
      const res = await fetch(`${url}/api/v1/case-events`, {
        method: 'POST',
        headers: signedHeaders(secret, body),
        body,
        signal: AbortSignal.timeout(15_000),
      });
      status = res.status;
      const answer = (await res.json().catch(() => ({}))) as Answer;
      if (status === 202) {
        for (const r of answer.results ?? []) {
          stats.storedIds.add(r.id);
          if (r.status === 'accepted') stats.outcomes[r.outcome] += 1;
        }
        return;
      }
      const retryAfter = Number(res.headers.get('retry-after'));
      // Honour Retry-After, as a well-behaved sender does (capped, so a short soak stays short).
      if (status === 503 && retryAfter > 0) wait = Math.min(5000, Math.max(wait, retryAfter * 1000));
    } catch {
      status = 0;
    }
    if (status === 503) stats.retried503 += 1;
    else if (status === 0 || status === 502) stats.retriedUnreachable += 1;
    else {
      stats.rejected += 1;
      return;
    }
    await sleep(wait);
  }
  stats.gaveUp += 1;
}
