export { buildCaseRecord, type CaseRecord } from './record.ts';
