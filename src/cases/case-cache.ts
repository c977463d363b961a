import type { IngestPlan } from './plan.ts';
import type { CaseRead, CasesRead } from './read-cases.ts';

/**
 * The cases this process has recently read or written, as they stood at a known version, so that a
 * request touching only cached cases can skip the read and go straight to the write. Never trusted:
 * the write is a compare-and-set on every case's version and on every request it joins, and an
 * event already stored fails it on the unique key, so a stale entry (another process, a record
 * clearing the case's raised-risk mark, a request closed) costs a retry, never a wrong answer.
 * Bounded: the least recently used entries go first.
 */
export class CaseCache {
  private readonly entries = new Map<string, CaseRead>();

  constructor(private readonly capacity = 20_000) {}

  /** The request's cases, if every one is cached: a read without its stored events (none known). */
  read(crns: Iterable<string>): CasesRead | undefined {
    const cases: CasesRead['cases'] = new Map();
    for (const crn of crns) {
      if (cases.has(crn)) continue;
      const entry = this.entries.get(crn);
      if (!entry) return undefined;
      cases.set(crn, entry);
    }
    // Touch the entries used, so the busiest cases stay.
    for (const [crn, entry] of cases) {
      this.entries.delete(crn);
      this.entries.set(crn, entry!);
    }
    return { cases, missing: new Set(), stored: new Map() };
  }

  /** Keeps the cases as a committed plan left them: new state, next version, live request. */
  remember(read: CasesRead, plan: IngestPlan): void {
    const written = new Set(plan.cases.map((c) => c.crn));
    const opened = new Map(plan.raise.opened.map((r) => [r.crn, r.id]));
    for (const [crn, before] of read.cases) {
      const state = plan.after.get(crn);
      if (!before || !state) continue;
      this.entries.delete(crn);
      this.entries.set(crn, {
        state,
        version: written.has(crn) ? before.version + 1 : before.version,
        liveRequest: opened.get(crn) ?? before.liveRequest,
      });
    }
    for (const crn of this.entries.keys()) {
      if (this.entries.size <= this.capacity) break;
      this.entries.delete(crn);
    }
  }

  forget(crns: Iterable<string>): void {
    for (const crn of crns) this.entries.delete(crn);
  }
}
