/**
 * The directory and cases the commands benchmark seeds, and the deterministic mix of `/oversight`
 * commands it sends: request number `i` is always the same command by the same person, so the
 * service and the baseline get the same bodies, and every `done`/`confirm` hits a fresh action.
 * No database imports here: the load generator (a worker thread) uses this too.
 */

export const shape = {
  teams: 20,
  managersPerTeam: 2,
  caseManagersPerTeam: 8,
  cases: 4000,
  /** Cases 1..liveCases have a recorded notice with two actions: A{g} open, A{liveCases + g} done. */
  liveCases: 2000,
} as const;

export const teamCode = (t: number) => `T${String(t).padStart(2, '0')}`;
export const crnOf = (g: number) => `X${String(g).padStart(6, '0')}`;
/** A staff code's Slack user id (every staff member has one): cm-3-5 → UCMX3X5. */
export const slackUserOf = (code: string) => `U${code.toUpperCase().replace(/-/g, 'X')}`;

/** Case number g (from 1) belongs to team teamOfCase(g) and its case manager is caseManagerOf(g). */
export const teamOfCase = (g: number) => ((g - 1) % shape.teams) + 1;
export const caseManagerOf = (g: number) =>
  `cm-${teamOfCase(g)}-${(Math.floor((g - 1) / shape.teams) % shape.caseManagersPerTeam) + 1}`;
export const managerOf = (t: number, n: number) => `mgr-${t}-${(n % shape.managersPerTeam) + 1}`;

export const commandKinds = ['status', 'actions', 'help', 'refer', 'done', 'confirm'] as const;
export type CommandKind = (typeof commandKinds)[number];

/** One cycle of 20 requests: status 6, actions 4, refer 3, done 3, confirm 2, help 2. */
const cycle: CommandKind[] = [
  'status',
  'actions',
  'refer',
  'done',
  'status',
  'help',
  'confirm',
  'status',
  'actions',
  'done',
  'status',
  'refer',
  'confirm',
  'actions',
  'status',
  'help',
  'done',
  'refer',
  'status',
  'actions',
];
const perCycle = Object.fromEntries(
  commandKinds.map((k) => [k, cycle.filter((c) => c === k).length]),
) as Record<CommandKind, number>;

/** How many commands of request i's kind came before it: the index into that kind's pool. */
function nth(i: number, kind: CommandKind): number {
  const before = cycle.slice(0, i % cycle.length).filter((c) => c === kind).length;
  return Math.floor(i / cycle.length) * perCycle[kind] + before;
}

export type BenchCommand = { kind: CommandKind; userId: string; text: string };

/** Request number i of the run. */
export function commandAt(i: number): BenchCommand {
  const kind = cycle[i % cycle.length]!;
  const n = nth(i, kind);
  const as = (code: string, text: string): BenchCommand => ({ kind, userId: slackUserOf(code), text });
  switch (kind) {
    case 'status': {
      // Any case, live notice or not, asked by its case manager or one of its team's managers.
      const g = ((i * 7919) % shape.cases) + 1;
      const who = n % 2 === 0 ? caseManagerOf(g) : managerOf(teamOfCase(g), n >> 1);
      return as(who, `status ${crnOf(g)}`);
    }
    case 'actions': {
      const t = (n % shape.teams) + 1;
      return as(`cm-${t}-${(Math.floor(n / shape.teams) % shape.caseManagersPerTeam) + 1}`, 'actions');
    }
    case 'help':
      return as(`tl-${(n % shape.teams) + 1}`, n % 2 === 0 ? 'help' : 'help done');
    case 'refer': {
      // Each a case without a live notice, once: every referral opens a notice.
      const g = shape.liveCases + 1 + n;
      if (g > shape.cases) throw new Error(`more than ${shape.cases - shape.liveCases} referrals`);
      return as(
        caseManagerOf(g),
        `refer ${crnOf(g)} Disclosure at a home visit: new partner with a history of domestic abuse`,
      );
    }
    case 'done': {
      // The open action of live case n + 1, by its owner.
      const g = n + 1;
      if (g > shape.liveCases) throw new Error(`more than ${shape.liveCases} done commands`);
      return as(caseManagerOf(g), `done A${g} Safety plan revised and shared with the police`);
    }
    case 'confirm': {
      // The done action of a live case, from the other end, so done and confirm never meet on one notice.
      const g = shape.liveCases - n;
      if (g < 1) throw new Error(`more than ${shape.liveCases} confirm commands`);
      return as(managerOf(teamOfCase(g), n), `confirm A${shape.liveCases + g}`);
    }
  }
}

/** What a successful reply of each kind starts with (its `text`, as rendered for Slack). */
export const expectedReply: Record<CommandKind, RegExp> = {
  status: /^X\d{6} \(youth, team T\d\d\)/,
  actions: /^Your open actions: \d+/,
  help: /^(Oversight commands|done: )/,
  refer: /^Referred X\d{6}: an oversight notice is now open/,
  done: /^A\d+ \(X\d{6}\) is marked done/,
  confirm: /^A\d+ \(X\d{6}\) is confirmed as done/,
};
