import type { Database } from '../db/client.ts';
import { actionIds } from '../src/adapters/slack/ids.ts';
import { verbs } from '../src/adapters/teams/verbs.ts';
import type { Chat } from './chat.ts';
import { caseEvent, type SenderStats, sendBatch } from './sender.ts';
import { pickAction, pickCase, pickRequest } from './targets.ts';
import type { Person, SoakTeam, World } from './world.ts';

/** Everything a step needs; steps are the things people and systems do, one at a time. */
export type StepContext = {
  db: Database;
  world: World;
  chat: Chat;
  webUrl: () => string;
  eventsSecret: string;
  sender: SenderStats;
  hostile: HostileStats;
  nextId: () => string;
};

/** Attempts that must be refused; `forgedIds` must never be stored, `forgedAccepted` must stay 0. */
export type HostileStats = {
  attempts: Record<string, number>;
  forgedIds: string[];
  forgedAccepted: number;
  forgedRefused: number;
};

/** Counters at zero. */
export function newHostileStats(): HostileStats {
  return { attempts: {}, forgedIds: [], forgedAccepted: 0, forgedRefused: 0 };
}

const pick = <T>(items: readonly T[]): T => items[Math.floor(Math.random() * items.length)]!;
const chance = (p: number) => Math.random() < p;
const teamOf = (world: World, code: string) => world.teams.find((t) => t.code === code)!;
const personOf = (world: World, code: string) => world.people.find((p) => p.code === code);
const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);

/** A signed batch of one to four events for one team's cases, retried until stored. */
async function events(ctx: StepContext): Promise<void> {
  const team = pick(ctx.world.teams);
  const batch = Array.from({ length: 1 + Math.floor(Math.random() * 4) }, () => {
    const roll = Math.random();
    const kind = roll < 0.35 ? 'required' : roll < 0.65 ? 'watch' : 'none';
    return caseEvent(ctx.nextId(), team, pick(team.crns), kind, Math.random());
  });
  await sendBatch(ctx.webUrl(), ctx.eventsSecret, batch, ctx.sender);
}

/** A manager presses Acknowledge in Slack; sometimes both managers of the team at once. */
async function acknowledgeInSlack(ctx: StepContext): Promise<void> {
  const request = await pickRequest(ctx.db, ['open']);
  if (!request) return;
  const managers = teamOf(ctx.world, request.teamCode).managers;
  const pressing = chance(0.3) ? managers : [pick(managers)];
  await Promise.all(pressing.map((m) => ctx.chat.slackPress(m.slack, actionIds.acknowledge, request.id)));
}

async function acknowledgeInTeams(ctx: StepContext): Promise<void> {
  const request = await pickRequest(ctx.db, ['open']);
  if (!request) return;
  const manager = pick(teamOf(ctx.world, request.teamCode).managers);
  await ctx.chat.teamsPress(manager.aad, verbs.acknowledge, { requestId: request.id });
}

/** The record form's values as Teams submits them, with one or two remedial actions. */
export function recordForm(
  requestId: string,
  team: SoakTeam,
  rationale = 'Plan reviewed with the case manager',
) {
  const data: Record<string, unknown> = {
    requestId,
    victimsProtected_rating: 'insufficient',
    victimsProtected_note: 'Safety plan needs revising',
    assessmentAndPlanning_rating: 'sufficient',
    timelyAndResponsive_rating: 'sufficient',
    escalation_rating: 'not_applicable',
    rationale,
    evidence: 'case_discussion',
  };
  const count = chance(0.5) ? 2 : 1;
  for (let row = 1; row <= count; row++) {
    data[`action${row}_description`] = `Remedial action ${row}`;
    data[`action${row}_owner`] = pick(team.caseManagers).code;
    // A past date is overdue at once, so it is chased during the soak.
    data[`action${row}_due`] = chance(0.5) ? day(-1) : day(7);
  }
  return data;
}

async function record(ctx: StepContext): Promise<void> {
  const request = await pickRequest(ctx.db, ['open', 'acknowledged']);
  if (!request) return;
  const team = teamOf(ctx.world, request.teamCode);
  await ctx.chat.teamsPress(pick(team.managers).aad, verbs.recordSubmit, recordForm(request.id, team));
}

/** The owner says their action is done, in Slack or Teams. */
async function done(ctx: StepContext): Promise<void> {
  const action = await pickAction(ctx.db, 'open');
  const owner = action && personOf(ctx.world, action.ownerCode);
  if (!action || !owner) return;
  const text = `done ${action.ref} safety plan revised and shared`;
  await (chance(0.7) ? ctx.chat.slackCommand(owner.slack, text) : ctx.chat.teamsText(owner.aad, text));
}

/** A manager confirms, reopens or cancels an action awaiting confirmation. */
async function settle(ctx: StepContext): Promise<void> {
  const action = await pickAction(ctx.db, 'done_claimed');
  if (!action) return;
  const manager = pick(teamOf(ctx.world, action.teamCode).managers);
  const roll = Math.random();
  const text =
    roll < 0.65
      ? `confirm ${action.ref}`
      : roll < 0.85
        ? `reopen ${action.ref} not shared with police yet`
        : `cancel ${action.ref} police already informed by MASH`;
  await (chance(0.7) ? ctx.chat.slackCommand(manager.slack, text) : ctx.chat.teamsText(manager.aad, text));
}

async function refer(ctx: StepContext): Promise<void> {
  const team = pick(ctx.world.teams);
  const crn = await pickCase(ctx.db, team.code);
  if (!crn) return;
  const cm = pick(team.caseManagers);
  const text = `refer ${crn} disclosure at home visit`;
  await (chance(0.6) ? ctx.chat.slackCommand(cm.slack, text) : ctx.chat.teamsText(cm.aad, text));
}

async function look(ctx: StepContext): Promise<void> {
  const team = pick(ctx.world.teams);
  const crn = await pickCase(ctx.db, team.code);
  const who: Person = pick([...team.managers, ...team.caseManagers]);
  await ctx.chat.slackCommand(who.slack, crn && chance(0.5) ? `status ${crn}` : 'actions');
}

/** Weighted steps of the load; hostile ones are in hostile.ts. */
export const steps: Array<[number, (ctx: StepContext) => Promise<void>]> = [
  [30, events],
  [11, acknowledgeInSlack],
  [6, acknowledgeInTeams],
  [12, record],
  [12, done],
  [12, settle],
  [5, refer],
  [3, look],
];
