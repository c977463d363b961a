export { CaseCache } from './case-cache.ts';
export { ingestCaseEvents } from './ingest.ts';
export { type CaseEventRequest, eventFieldPath, parseCaseEventRequest } from './parse.ts';
export * from './schemas.ts';
export * from './signature.ts';
