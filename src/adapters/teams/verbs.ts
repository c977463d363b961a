/** The `Action.Execute` verbs of our cards; each carries `{ requestId }` in its data. */
export const verbs = {
  acknowledge: 'acknowledge',
  record: 'record',
  recordSubmit: 'recordSubmit',
  escalate: 'escalate',
  refresh: 'refresh',
  caseRecord: 'caseRecord',
} as const;

export type Verb = (typeof verbs)[keyof typeof verbs];
