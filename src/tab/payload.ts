import type { CaseRecord } from '../export/index.ts';

/** What `GET /api/tab/record` answers: the case's record, names for the staff codes in it, and who is looking. */
export type RecordPayload = {
  record: CaseRecord;
  timezone: string;
  people: Record<string, string>;
  viewer: { code: string; name: string };
};
