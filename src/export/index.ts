export { caseRecordMarkdown } from './markdown.ts';
export { buildCaseRecord, type CaseRecord } from './record.ts';
