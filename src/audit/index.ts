export { type AuditEntry, audit } from './write.ts';
