export { type AcknowledgeResult, acknowledge } from './acknowledge.ts';
export { escalate } from './escalate.ts';
export { type CaseRow, caseByCrn, liveRequestForCrn, type RequestRow, requestById } from './load.ts';
export { buildNoticeView } from './notice-view.ts';
export { type RaiseResult, raiseRequest, type TriggerInput } from './raise.ts';
export { type RecordOptions, type RecordResult, recordOversight } from './record.ts';
export { crnPattern, normaliseCrn, refer } from './refer.ts';
export { type ParsedRecord, type RecordInput, recordInput } from './schemas.ts';
