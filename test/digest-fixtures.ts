import type { Database } from '../db/client.ts';
import {
  type ActionStatus,
  actions,
  cases,
  deliveries,
  oversightRecords,
  oversightRequests,
  type RequestStatus,
} from '../db/schema/index.ts';
import { overdueFrom } from '../src/time.ts';
import { notApplicableAssurances } from './support/factories.ts';

/** Rows for digest tests, inserted directly so each test sets exactly the condition it is about. */
let serial = 0;

/** A fresh CRN per call, so each row gets its own case and live request. */
export const nextCrn = () => `D${String(++serial).padStart(6, '0')}`;

export async function insertCase(
  db: Database,
  teamCode: string,
  overrides: Partial<typeof cases.$inferInsert> = {},
): Promise<string> {
  const crn = overrides.crn ?? nextCrn();
  await db.insert(cases).values({ crn, service: 'youth', teamCode, rosh: 'MEDIUM', ...overrides });
  return crn;
}

export async function insertRequest(
  db: Database,
  teamCode: string,
  input: {
    status: RequestStatus;
    acknowledgeBy: Date;
    openedAt?: Date;
    crn?: string;
    acknowledgedBy?: string;
    acknowledgedAt?: Date;
  },
): Promise<{ id: string; crn: string }> {
  const crn = input.crn ?? (await insertCase(db, teamCode));
  const [row] = await db
    .insert(oversightRequests)
    .values({
      crn,
      teamCode,
      status: input.status,
      openedAt: input.openedAt ?? new Date(input.acknowledgeBy.getTime() - 86_400_000),
      acknowledgeBy: input.acknowledgeBy,
      acknowledgedBy: input.acknowledgedBy ?? null,
      acknowledgedAt: input.acknowledgedAt ?? null,
      closedAt: input.status === 'closed' ? input.acknowledgeBy : null,
    })
    .returning({ id: oversightRequests.id });
  return { id: row!.id, crn };
}

/** An action with its own case, request and record (actions always belong to a record). */
export async function insertAction(
  db: Database,
  teamCode: string,
  input: {
    due: string;
    status?: ActionStatus;
    owner?: string;
    setBy?: string;
    doneAt?: Date;
    description?: string;
    timezone?: string;
  },
): Promise<{ ref: string; crn: string }> {
  const request = await insertRequest(db, teamCode, { status: 'recorded', acknowledgeBy: new Date(0) });
  const [record] = await db
    .insert(oversightRecords)
    .values({
      requestId: request.id,
      crn: request.crn,
      by: input.setBy ?? 'mgr-sam',
      assurances: notApplicableAssurances,
      rationale: 'Rationale text that must never reach a digest',
    })
    .returning({ id: oversightRecords.id });
  const [row] = await db
    .insert(actions)
    .values({
      requestId: request.id,
      recordId: record!.id,
      crn: request.crn,
      teamCode,
      description: input.description ?? 'Revise the safety plan',
      ownerCode: input.owner ?? 'cm-ali',
      setBy: input.setBy ?? 'mgr-sam',
      dueDate: input.due,
      overdueFrom: overdueFrom(input.due, input.timezone ?? 'Europe/London'),
      status: input.status ?? 'open',
      doneAt: input.doneAt ?? null,
      doneEvidence: input.doneAt ? 'Evidence text that must never reach a digest' : null,
    })
    .returning({ ref: actions.ref });
  return { ref: row!.ref, crn: request.crn };
}

export async function insertDelivery(
  db: Database,
  teamCode: string,
  input: {
    status: 'queued' | 'sent' | 'failed';
    failedAt?: Date;
    kind?: string;
    target?: string;
    error?: string;
  },
): Promise<void> {
  await db.insert(deliveries).values({
    platform: 'slack',
    kind: input.kind ?? 'notice.post',
    target: input.target ?? 'C0BROKEN',
    teamCode,
    payload: { text: 'payload text that must never reach a digest' },
    status: input.status,
    failedAt: input.failedAt ?? null,
    lastError: input.status === 'failed' ? (input.error ?? 'channel_not_found') : null,
  });
}
