import { actionIds } from '../src/adapters/slack/ids.ts';
import { verbs } from '../src/adapters/teams/verbs.ts';
import { signBody, signedHeaders } from '../src/cases/index.ts';
import { caseEvent } from './sender.ts';
import { recordForm, type StepContext } from './steps.ts';
import { pickAction, pickRequest } from './targets.ts';
import { stranger } from './world.ts';

const pick = <T>(items: readonly T[]): T => items[Math.floor(Math.random() * items.length)]!;

function count(ctx: StepContext, kind: string): void {
  ctx.hostile.attempts[kind] = (ctx.hostile.attempts[kind] ?? 0) + 1;
}

/** A required event with a forged, stale, tampered or missing signature: must be 401 and never stored. */
async function forgedEvent(ctx: StepContext): Promise<void> {
  const team = pick(ctx.world.teams);
  const id = `forged-${ctx.nextId()}`;
  const body = JSON.stringify(caseEvent(id, team, pick(team.crns), 'required', Math.random()));
  const variant = pick(['wrong secret', 'stale', 'tampered', 'unsigned'] as const);
  const now = Math.floor(Date.now() / 1000);
  const headers: Record<string, string> =
    variant === 'wrong secret'
      ? signedHeaders('not-the-secret', body)
      : variant === 'stale'
        ? signedHeaders(ctx.eventsSecret, body, new Date(Date.now() - 10 * 60_000))
        : variant === 'tampered'
          ? {
              'content-type': 'application/json',
              'x-oversight-timestamp': String(now),
              'x-oversight-signature': signBody(ctx.eventsSecret, now, body.replace('soak-feed', 'soak-fed')),
            }
          : { 'content-type': 'application/json' };
  ctx.hostile.forgedIds.push(id);
  count(ctx, `event: ${variant} signature`);
  try {
    const res = await fetch(`${ctx.webUrl()}/api/v1/case-events`, { method: 'POST', headers, body });
    await res.text();
    if (res.status === 202) ctx.hostile.forgedAccepted += 1;
    if (res.status === 401) ctx.hostile.forgedRefused += 1;
  } catch {
    // unreachable (a process restarting): nothing stored either way
  }
}

/** A case manager presses Acknowledge on an open notice of their own team. */
async function caseManagerAcknowledges(ctx: StepContext): Promise<void> {
  const request = await pickRequest(ctx.db, ['open']);
  if (!request) return;
  const team = ctx.world.teams.find((t) => t.code === request.teamCode)!;
  count(ctx, 'slack: case manager acknowledges');
  await ctx.chat.slackPress(pick(team.caseManagers).slack, actionIds.acknowledge, request.id);
}

/** A manager of another team confirms an action awaiting confirmation. */
async function otherTeamConfirms(ctx: StepContext): Promise<void> {
  const action = await pickAction(ctx.db, 'done_claimed');
  if (!action) return;
  const other = pick(ctx.world.teams.filter((t) => t.code !== action.teamCode));
  count(ctx, 'slack: other team manager confirms');
  await ctx.chat.slackCommand(pick(other.managers).slack, `confirm ${action.ref}`);
}

/** Someone the directory does not know presses Acknowledge in Teams. */
async function strangerAcknowledges(ctx: StepContext): Promise<void> {
  const request = await pickRequest(ctx.db, ['open']);
  if (!request) return;
  count(ctx, 'teams: stranger acknowledges');
  await ctx.chat.teamsPress(stranger.aad, verbs.acknowledge, { requestId: request.id });
}

/** A team lead submits an oversight record (only managers record). */
async function leadRecords(ctx: StepContext): Promise<void> {
  const request = await pickRequest(ctx.db, ['open', 'acknowledged']);
  if (!request) return;
  const team = ctx.world.teams.find((t) => t.code === request.teamCode)!;
  count(ctx, 'teams: team lead records');
  await ctx.chat.teamsPress(team.lead.aad, verbs.recordSubmit, recordForm(request.id, team, 'lead decides'));
}

/** The owner of an action tries to cancel it (only managers cancel). */
async function ownerCancels(ctx: StepContext): Promise<void> {
  const action = await pickAction(ctx.db, 'open');
  const owner = action && ctx.world.people.find((p) => p.code === action.ownerCode);
  if (!action || !owner) return;
  count(ctx, 'slack: owner cancels own action');
  await ctx.chat.slackCommand(owner.slack, `cancel ${action.ref} not needed`);
}

/** A case manager of another team marks someone else's action done. */
async function strangerMarksDone(ctx: StepContext): Promise<void> {
  const action = await pickAction(ctx.db, 'open');
  if (!action) return;
  const other = pick(ctx.world.teams.filter((t) => t.code !== action.teamCode));
  count(ctx, 'teams: other team case manager marks done');
  await ctx.chat.teamsText(pick(other.caseManagers).aad, `done ${action.ref} it is done`);
}

/** Unknown Slack user confirms. */
async function unknownConfirms(ctx: StepContext): Promise<void> {
  const action = await pickAction(ctx.db, 'done_claimed');
  if (!action) return;
  count(ctx, 'slack: unknown user confirms');
  await ctx.chat.slackCommand(stranger.slack, `confirm ${action.ref}`);
}

/** Hostile steps of the load, each refused by the service; weights within the hostile share. */
export const hostileSteps: Array<[number, (ctx: StepContext) => Promise<void>]> = [
  [3, forgedEvent],
  [1, caseManagerAcknowledges],
  [1, otherTeamConfirms],
  [1, strangerAcknowledges],
  [1, leadRecords],
  [1, ownerCancels],
  [1, strangerMarksDone],
  [1, unknownConfirms],
];
