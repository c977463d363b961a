import type { Grade, Level, Service } from '../../db/schema/index.ts';
import type { CaseState } from '../policy/index.ts';

/** A case row as the ingest statements return it (JSON, snake_case). */
export type CaseJson = {
  crn: string;
  service: Service;
  team_code: string;
  case_manager_code: string | null;
  case_manager_grade: Grade | null;
  rosh: Level | null;
  vulnerability: Level | null;
  flags: string[];
  watch_since: string | null;
  watch_reason: string | null;
};

/** The policy's view of a case row. */
export function caseState(row: CaseJson): CaseState {
  return {
    service: row.service,
    teamCode: row.team_code,
    caseManagerCode: row.case_manager_code,
    caseManagerGrade: row.case_manager_grade,
    rosh: row.rosh,
    vulnerability: row.vulnerability,
    flags: row.flags,
    watchSince: row.watch_since ? new Date(row.watch_since) : null,
    watchReason: row.watch_reason,
  };
}

/** A case state as a row for the ingest statements. */
export function caseJson(crn: string, s: CaseState): CaseJson {
  return {
    crn,
    service: s.service,
    team_code: s.teamCode,
    case_manager_code: s.caseManagerCode,
    case_manager_grade: s.caseManagerGrade,
    rosh: s.rosh,
    vulnerability: s.vulnerability,
    flags: s.flags,
    watch_since: s.watchSince?.toISOString() ?? null,
    watch_reason: s.watchReason,
  };
}

/** The fields of a case that differ between two states, for the audit row. */
export function changedFields(before: CaseState | undefined, after: CaseState): string[] {
  return (Object.keys(after) as Array<keyof CaseState>).filter(
    (key) => !same(before?.[key] ?? null, after[key]),
  );
}

function same(a: CaseState[keyof CaseState] | null, b: CaseState[keyof CaseState]): boolean {
  if (a instanceof Date || b instanceof Date) {
    return a instanceof Date && b instanceof Date && a.getTime() === b.getTime();
  }
  if (Array.isArray(a) || Array.isArray(b)) {
    return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((x, i) => x === b[i]);
  }
  return a === b;
}
