import { like } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { auditLog } from '../db/schema/index.ts';
import { actionIds } from '../src/adapters/slack/ids.ts';
import {
  type BadInputHarness,
  type Fixture,
  people,
  slackRecordValues,
  startBadInputHarness,
  teamsRecordData,
  type Who,
} from './support/bad-input-harness.ts';
import { snapshot } from './support/bad-input-snapshot.ts';

/**
 * Every role trying every action it must not, on every surface (SPEC 'Who may do what'): a case
 * manager, a manager of another team, a team lead, someone the directory does not know, and an
 * admin. Each attempt gets a polite refusal that says why, is audited, and changes nothing.
 */

type Surface = 'Slack' | 'Teams' | 'command';
type Attempt = {
  what: string;
  via: Surface;
  /** Who tries it (everyone it is forbidden to, among the five roles). */
  who: Array<keyof typeof people>;
  /** The refusal, for someone the directory knows. */
  refusal: RegExp;
  run: (h: BadInputHarness, who: Who) => Promise<string>;
};

const { otherTeamManager, unknown } = people;
const everyone = ['caseManager', 'otherTeamManager', 'teamLead', 'unknown', 'admin'] as const;
/** A case manager may mark their own action done; the one tried here belongs to their colleague. */
const notTheOwner = ['otherCaseManager', 'otherTeamManager', 'teamLead', 'unknown', 'admin'] as const;

/** A case of a team the person is not in (YOT-S's for everyone in YOT-N, and the other way round). */
const otherTeamsCase = (who: Who) => (who === otherTeamManager ? 'X100001' : 'X200001');
const otherTeamsNotice = (who: Who, f: Fixture) =>
  who === otherTeamManager ? f.openRequest : f.otherTeamRequest;

/** Text commands run the same on Slack (/oversight …), Teams (typed to the bot) and the console. */
function viaEverySurface(
  what: string,
  who: Attempt['who'],
  refusal: RegExp,
  text: (h: BadInputHarness, who: Who) => string,
): Attempt[] {
  return [
    { what, via: 'Slack', who, refusal, run: (h, w) => h.slackCommand(w, text(h, w)) },
    { what, via: 'Teams', who, refusal, run: (h, w) => h.teamsText(w, text(h, w)) },
    { what, via: 'command', who, refusal, run: async (h, w) => (await h.command(w, text(h, w))).text },
  ];
}

const attempts: Attempt[] = [
  {
    what: 'acknowledge a notice',
    via: 'Slack',
    who: [...everyone],
    refusal: /only a manager of this case's team can acknowledge/,
    run: (h, w) => h.slackPress(w, actionIds.acknowledge, h.fixture.openRequest),
  },
  {
    what: 'acknowledge a notice',
    via: 'Teams',
    who: [...everyone],
    refusal: /only a manager of this case's team can acknowledge/,
    run: async (h, w) => (await h.teamsPress(w, 'acknowledge', { requestId: h.fixture.openRequest })).text,
  },
  {
    what: 'open the record form',
    via: 'Slack',
    who: [...everyone],
    refusal: /only a manager of this case's team can record oversight/,
    run: (h, w) => h.slackPress(w, actionIds.record, h.fixture.openRequest),
  },
  {
    what: 'submit an oversight record',
    via: 'Slack',
    who: [...everyone],
    refusal: /only a manager of this case's team can record oversight/,
    run: (h, w) =>
      h.slackSubmitRecord(w, JSON.stringify({ requestId: h.fixture.openRequest }), slackRecordValues()),
  },
  {
    what: 'open the record form',
    via: 'Teams',
    who: [...everyone],
    refusal: /only a manager of this case's team can record oversight/,
    run: async (h, w) => (await h.teamsPress(w, 'record', { requestId: h.fixture.openRequest })).text,
  },
  {
    what: 'submit an oversight record',
    via: 'Teams',
    who: [...everyone],
    refusal: /only a manager of this case's team can record oversight/,
    run: async (h, w) => (await h.teamsPress(w, 'recordSubmit', teamsRecordData(h.fixture.openRequest))).text,
  },
  {
    what: "escalate another team's notice",
    via: 'Slack',
    who: ['caseManager', 'otherTeamManager', 'teamLead', 'unknown', 'admin'],
    refusal: /only staff of team YOT-[NS] can escalate/,
    run: (h, w) => h.slackPress(w, actionIds.escalate, otherTeamsNotice(w, h.fixture)),
  },
  {
    what: "escalate another team's notice",
    via: 'Teams',
    who: ['caseManager', 'otherTeamManager', 'teamLead', 'unknown', 'admin'],
    refusal: /only staff of team YOT-[NS] can escalate/,
    run: async (h, w) =>
      (await h.teamsPress(w, 'escalate', { requestId: otherTeamsNotice(w, h.fixture) })).text,
  },
  ...viaEverySurface(
    'confirm an action',
    [...everyone],
    /only a manager of team YOT-N can confirm/,
    (h) => `confirm ${h.fixture.doneAction}`,
  ),
  ...viaEverySurface(
    'reopen an action',
    [...everyone],
    /only a manager of team YOT-N can reopen/,
    (h) => `reopen ${h.fixture.doneAction} not shared yet`,
  ),
  ...viaEverySurface(
    'cancel an action',
    [...everyone],
    /only a manager of team YOT-N can cancel/,
    (h) => `cancel ${h.fixture.openAction} not needed`,
  ),
  ...viaEverySurface(
    "mark someone else's action done",
    [...notTheOwner],
    /only cm-ali \(the action's owner\) or a manager of team YOT-N/,
    (h) => `done ${h.fixture.openAction} it is done`,
  ),
  ...viaEverySurface(
    "see another team's case",
    [...everyone],
    /belongs to team YOT-[NS]; only its staff can see its status/,
    (_h, w) => `status ${otherTeamsCase(w)}`,
  ),
  ...viaEverySurface(
    "refer another team's case",
    [...everyone],
    /belongs to team YOT-[NS]; only its staff can refer it/,
    (_h, w) => `refer ${otherTeamsCase(w)} worried about them`,
  ),
];

const roleNames: Record<keyof typeof people, string> = {
  manager: 'a manager of the team',
  caseManager: 'a case manager',
  otherCaseManager: "a case manager (not the action's owner)",
  teamLead: 'a team lead',
  otherTeamManager: 'a manager of another team',
  otherTeamCaseManager: 'a case manager of another team',
  admin: 'an admin',
  unknown: 'someone the directory does not know',
};

const cases = attempts.flatMap((a) =>
  a.who.map((role) => [`${roleNames[role]} cannot ${a.what} (${a.via})`, a, role] as const),
);

describe('every role trying what it must not is refused, audited, and changes nothing', () => {
  let h: BadInputHarness;
  beforeAll(async () => {
    h = await startBadInputHarness();
  });
  const refusals = async () =>
    (await h.t.db.storage.db.select().from(auditLog).where(like(auditLog.action, '%.refused'))).length;

  it.each(cases)('%s', async (_name, attempt, role) => {
    const who = people[role];
    const db = h.t.db.storage.db;
    const before = await snapshot(db);
    const audited = await refusals();
    const reply = await attempt.run(h, who);
    expect(reply).toMatch(who === unknown ? /I don't know you yet/ : attempt.refusal);
    expect(reply).not.toMatch(/something went wrong|Error:|at .*\.ts:\d+/);
    expect(await snapshot(db)).toEqual(before);
    // Slack answers someone it cannot map to the directory before any service runs, so that
    // attempt leaves no audit row (reported); every other refusal is audited.
    if (!(who === unknown && attempt.via === 'Slack')) expect(await refusals()).toBeGreaterThan(audited);
  });
});
