/** Value sets of the domain (SPEC 'Domain'), shared by the schema, validation and views. */
export const levels = ['LOW', 'MEDIUM', 'HIGH', 'VERY_HIGH'] as const;
export type Level = (typeof levels)[number];

export const services = ['youth', 'adult'] as const;
export type Service = (typeof services)[number];

export const roles = ['manager', 'case_manager', 'team_lead', 'admin'] as const;
export type Role = (typeof roles)[number];

/** Practitioner grades in ascending order (PQiP < PSO < NQO < PO < SPO). */
export const grades = ['PQiP', 'PSO', 'NQO', 'PO', 'SPO'] as const;
export type Grade = (typeof grades)[number];

export const outcomes = ['none', 'watch', 'required'] as const;
export type Outcome = (typeof outcomes)[number];

export const requestStatuses = ['open', 'acknowledged', 'recorded', 'closed'] as const;
export type RequestStatus = (typeof requestStatuses)[number];

export const actionStatuses = ['open', 'done_claimed', 'confirmed', 'cancelled'] as const;
export type ActionStatus = (typeof actionStatuses)[number];

export const ratings = ['sufficient', 'insufficient', 'not_applicable'] as const;
export type Rating = (typeof ratings)[number];

export const evidenceKinds = [
  'assessment_revised',
  'case_discussion',
  'direct_observation',
  'interagency_communication',
  'other',
] as const;
export type EvidenceKind = (typeof evidenceKinds)[number];

export const surfaces = ['slack', 'msteams', 'console', 'api', 'cli', 'system'] as const;
export type Surface = (typeof surfaces)[number];

export const platforms = ['slack', 'msteams', 'console'] as const;
export type Platform = (typeof platforms)[number];

export const deliveryStatuses = ['queued', 'sent', 'failed'] as const;
export type DeliveryStatus = (typeof deliveryStatuses)[number];
