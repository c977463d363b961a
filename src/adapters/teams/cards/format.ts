import type { ActionStatus, Level, RequestStatus } from '../../../../db/schema/index.ts';

/** Wording shared by the Teams cards. */

/** A moment in the team's timezone, e.g. "21 Nov 2026, 10:00". */
export function when(at: Date, timezone: string): string {
  return new Intl.DateTimeFormat('en-GB', {
    timeZone: timezone,
    dateStyle: 'medium',
    timeStyle: 'short',
  }).format(at);
}

export function level(value: Level | null): string {
  return value ? value.replace('_', ' ') : 'not assessed';
}

export const requestStatusText: Record<RequestStatus, string> = {
  open: 'Open: awaiting acknowledgement',
  acknowledged: 'Acknowledged: awaiting the oversight record',
  recorded: 'Recorded: remedial actions in progress',
  closed: 'Closed',
};

export const actionStatusText: Record<ActionStatus, string> = {
  open: 'open',
  done_claimed: 'done, awaiting confirmation',
  confirmed: 'confirmed',
  cancelled: 'cancelled',
};
