/**
 * The events the ingest benchmark sends: a deterministic mix shaped like a day's feed, mostly
 * assessments and police or court notifications that need no notice, and one in twenty required
 * (a violence arrest, an adult case assessed HIGH). `routine` is the same mix with nothing
 * required, to show the cost of the bulk path apart from raising requests.
 */

export type Scenario = 'seed' | 'warmup' | 'single' | 'batch' | 'routine';

const adultLevels = [
  'LOW',
  'LOW',
  'MEDIUM',
  'LOW',
  'MEDIUM',
  'MEDIUM',
  'LOW',
  'HIGH',
  'LOW',
  'MEDIUM',
] as const;

export function crnOf(index: number): string {
  return `B${String(index).padStart(6, '0')}`;
}

// The events occurred a day before the run, on the clock the bench runs on.
const occurredAt = new Date(Date.now() - 86_400_000).toISOString();

function caseOf(index: number) {
  // Service is fixed per case: two in three are adult cases, the rest youth.
  const adult = index % 3 !== 0;
  return {
    crn: crnOf(index),
    service: adult ? 'adult' : 'youth',
    team: adult ? 'BENCH-PDU' : 'BENCH-YOT',
    caseManager: `cm-${index % 40}`,
  };
}

/** Event number `seq` of a scenario, on case number `caseIndex`. */
export function benchEvent(scenario: Scenario, runId: string, seq: number, caseIndex: number): object {
  const ref = caseOf(caseIndex);
  const base = {
    id: `${runId}-${scenario}-${seq}`,
    source: 'bench-feed',
    occurredAt,
    case: ref,
  };
  if (scenario === 'seed')
    return { ...base, type: 'risk.assessed', data: { rosh: 'LOW', vulnerability: 'LOW' } };
  const notes = { notes: 'Free text from the sending system, stored but never shown in chat.' };
  switch (seq % 20) {
    case 10:
    case 11:
    case 12:
      return { ...base, type: 'police.callout', data: { domesticAbuse: false, ...notes } };
    case 13:
      return { ...base, type: 'police.arrest', data: { offenceCategory: 'theft', ...notes } };
    case 14: {
      const offenceCategory = scenario === 'routine' ? 'fraud' : 'violence';
      return { ...base, type: 'police.arrest', data: { offenceCategory, ...notes } };
    }
    case 15:
      return { ...base, type: 'court.appearance', data: { seriousOffence: false } };
    case 16:
      return { ...base, type: 'screening.completed', data: { indicators: [] } };
    case 17:
      return { ...base, type: 'registration.added', data: { type: 'substance_misuse' } };
    case 18:
      return { ...base, type: 'case.allocated', data: { caseManager: ref.caseManager, grade: 'PO' } };
    case 19:
      return { ...base, type: 'forum.held', data: { forum: 'mash', outcome: 'Information shared.' } };
    default: {
      const level = ref.service === 'adult' ? adultLevels[(seq >> 1) % adultLevels.length]! : 'LOW';
      const rosh = scenario === 'routine' && level === 'HIGH' ? 'MEDIUM' : level;
      return { ...base, type: 'risk.assessed', data: { rosh, vulnerability: 'LOW', ...notes } };
    }
  }
}
