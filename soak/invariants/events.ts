import { sql } from 'drizzle-orm';
import type { Database } from '../../db/client.ts';
import type { SenderStats } from '../sender.ts';
import type { HostileStats } from '../steps.ts';
import { type Check, check, sample } from './check.ts';
import { rows } from './query.ts';

/** Case events: every one sent was stored once, every required one has its request, no forged one got in. */
export async function eventChecks(
  db: Database,
  sender: SenderStats,
  hostile: HostileStats,
): Promise<Check[]> {
  const stored = await rows<{ event_id: string; outcome: string; request_id: string | null }>(
    db,
    sql`select event_id, outcome, request_id from case_events where source = 'soak-feed'`,
  );
  const storedIds = new Set(stored.map((r) => r.event_id));
  const missing = sender.sentIds.filter((id) => !storedIds.has(id));
  const orphans = await rows<{ event_id: string }>(
    db,
    sql`select e.event_id from case_events e
        where e.outcome = 'required' and not exists (
          select 1 from request_triggers t join oversight_requests r on r.id = t.request_id
          where t.case_event_id = e.id and r.id = e.request_id)`,
  );
  const required = stored.filter((r) => r.outcome === 'required').length;
  const forged = new Set(hostile.forgedIds);
  const forgedStored = await rows<{ event_id: string }>(
    db,
    sql`select event_id from case_events where event_id like 'forged-%'`,
  );
  return [
    check(
      'every event sent was stored (503s retried, none refused or given up)',
      missing.length === 0 && sender.rejected === 0 && sender.gaveUp === 0,
      `${sender.events} sent in ${sender.batches} batches, ${storedIds.size} stored; ${sender.retried503} retries after 503, ${sender.retriedUnreachable} after no answer; ${sender.rejected} refused, ${sender.gaveUp} given up${sample(missing)}`,
    ),
    check(
      'every required event has a request',
      orphans.length === 0,
      `${required} required events, ${orphans.length} without their request${sample(orphans.map((o) => o.event_id))}`,
    ),
    check(
      'no event with a bad signature was stored',
      forgedStored.filter((r) => forged.has(r.event_id) || r.event_id.startsWith('forged-')).length === 0 &&
        hostile.forgedAccepted === 0,
      `${hostile.forgedIds.length} sent forged, stale, tampered or unsigned; ${hostile.forgedAccepted} answered 202, ${forgedStored.length} stored`,
    ),
  ];
}
