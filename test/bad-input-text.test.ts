import { and, eq, ne } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { actions, oversightRecords, oversightRequests, requestTriggers } from '../db/schema/index.ts';
import { noticeMessage } from '../src/adapters/slack/render/notice.ts';
import type { Actor } from '../src/context.ts';
import {
  type BadInputHarness,
  people,
  slackRecordValues,
  startBadInputHarness,
  teamsRecordData,
  type Who,
} from './support/bad-input-harness.ts';
import { daysFromToday } from './support/dates.ts';
import { makeCase, notApplicableAssurances } from './support/factories.ts';

// biome-ignore lint/suspicious/noExplicitAny: replies are free-form JSON; tests pick what they check.
type Json = any;

/**
 * Hostile and unusual text in every free-text field — referral reason, the record's notes,
 * deficits, rationale and variance, action descriptions, done evidence, reopen and cancel
 * reasons — through Slack, Teams and the console. It is kept exactly as typed (trimmed), and
 * whenever chat shows it back it cannot notify anyone, forge a link or mention, or render as
 * markup. Notices in the channel never show it at all.
 */

const texts: Array<[name: string, text: string]> = [
  ['Slack broadcasts', '<!channel> <!here> <!everyone> please look'],
  ['Slack mentions', 'ask <@U0SAM> and <#C0MANAGERS|managers>'],
  ['Slack links', 'see <http://evil.example|the safety plan> or <https://evil.example>'],
  ['HTML', '<script>alert(1)</script> <b>bold</b> <img src=x onerror=alert(1)>'],
  ['Markdown', '*bold* _italic_ ~strike~ `code` > quote [link](http://evil.example)'],
  ['Unicode', 'Ünïcödé “quotes” 日本語 👩‍👧 e\u0301 and zero\u200bwidth'],
  ['control and bidi characters', 'right-to-left \u202Eevil\u202C, bell\u0007, escape \u001b[31mred'],
  ['SQL', "Robert'); drop table actions;-- and \\ backslash"],
  ['entities already escaped', '&lt;!channel&gt; and &amp; ampersand'],
  ['several lines', 'line one\nline two\n\n  indented line'],
];

/** Teams sends what people type as HTML: `<`, `>` and `&` arrive as entities. */
const asTeamsSendsIt = (text: string) =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point.
const controls = /[\u0000-\u0008\u000b-\u001f\u007f\u202a-\u202e\u2066-\u2069]/;

/** Every mrkdwn and plain text a Slack answer holds. */
function slackTexts(reply: string): string[] {
  const body = JSON.parse(reply) as Json;
  const out: string[] = [body.text ?? ''];
  const walk = (node: Json) => {
    if (Array.isArray(node)) return node.forEach(walk);
    if (!node || typeof node !== 'object') return;
    if (typeof node.text === 'string') out.push(node.text);
    for (const value of Object.values(node)) walk(value);
  };
  walk(body.blocks);
  return out;
}

/** What Slack would act on in a text: broadcasts, mentions, channel links and links. */
const slackMarkup = /<[!@#]|<https?:|<mailto:/;

describe('free text is kept as typed and never shown as markup', () => {
  let h: BadInputHarness;
  let n = 0;
  beforeAll(async () => {
    h = await startBadInputHarness();
  });
  const db = () => h.t.db.storage.db;
  const as = (who: Who): Actor => ({ staffCode: who.code, surface: 'cli' });

  /** A fresh case of YOT-N with an open notice. */
  async function freshNotice(): Promise<{ crn: string; requestId: string }> {
    const crn = `X3${String(++n).padStart(5, '0')}`;
    await makeCase(db(), crn);
    const { requestId } = await h.t.app.services.refer(as(people.caseManager), { crn, reason: 'Concern' });
    return { crn, requestId };
  }
  /** A fresh action owned by the case manager, open or already marked done. */
  async function freshAction(done = false): Promise<string> {
    const { requestId } = await freshNotice();
    const recorded = await h.t.app.services.record(as(people.manager), {
      requestId,
      assurances: notApplicableAssurances,
      rationale: 'Plan to be revised',
      actions: [{ description: 'Revise the plan', owner: 'cm-ali', due: daysFromToday(30) }],
    });
    const ref = recorded.actions[0]!.ref;
    if (done) await h.t.app.services.done(as(people.caseManager), { ref, evidence: 'Done' });
    return ref;
  }
  const action = async (ref: string) => (await db().select().from(actions).where(eq(actions.ref, ref)))[0]!;

  /** The command to run with the text, and where the text must then be stored. */
  const commands: Array<
    [
      field: string,
      run: (text: string) => Promise<{ command: string; stored: () => Promise<string | null | undefined> }>,
    ]
  > = [
    [
      'referral reason',
      async (text) => {
        const { crn } = await freshNotice();
        return {
          command: `refer ${crn} ${text}`,
          // The fresh notice's own referral gave 'Concern'; the command's is the other one.
          stored: async () =>
            (
              await db()
                .select({ reason: requestTriggers.referralReason })
                .from(requestTriggers)
                .innerJoin(oversightRequests, eq(oversightRequests.id, requestTriggers.requestId))
                .where(and(eq(oversightRequests.crn, crn), ne(requestTriggers.referralReason, 'Concern')))
            )[0]?.reason,
        };
      },
    ],
    [
      'done evidence',
      async (text) => {
        const ref = await freshAction();
        return { command: `done ${ref} ${text}`, stored: async () => (await action(ref)).doneEvidence };
      },
    ],
    [
      'reopen reason',
      async (text) => {
        const ref = await freshAction(true);
        return { command: `reopen ${ref} ${text}`, stored: async () => (await action(ref)).reason };
      },
    ],
    [
      'cancel reason',
      async (text) => {
        const ref = await freshAction();
        return { command: `cancel ${ref} ${text}`, stored: async () => (await action(ref)).reason };
      },
    ],
  ];
  /** Who types each command: the case manager refers and marks done; the manager reopens and cancels. */
  const typist = (field: string) =>
    field === 'referral reason' || field === 'done evidence' ? people.caseManager : people.manager;
  const matrix = commands.flatMap(([field, prepare]) =>
    texts.map(([name, text]) => [field, name, text, prepare] as const),
  );

  it.each(matrix)(
    '%s with %s through Slack: stored as typed, escaped in the answer',
    async (field, _name, text, prepare) => {
      const { command, stored } = await prepare(text);
      const reply = await h.slackCommand(typist(field), command);
      expect(reply).not.toMatch(/something went wrong|Usage:/);
      expect(await stored()).toBe(text.trim());
      for (const shown of slackTexts(reply)) expect(shown).not.toMatch(slackMarkup);
      if (text.includes('<')) expect(reply).toContain('&lt;');
    },
  );

  it.each(matrix)(
    '%s with %s through Teams: stored as typed, plain text in the answer',
    async (field, _name, text, prepare) => {
      const { command, stored } = await prepare(text);
      const reply = await h.teamsReply(typist(field), asTeamsSendsIt(command));
      const card = JSON.stringify(reply.attachments);
      expect(card).not.toMatch(/something went wrong|Usage:/);
      expect(await stored()).toBe(text.trim());
      // Plain-text runs only: no mention entities, no control or bidi characters shown.
      expect(reply.entities ?? []).not.toContainEqual(expect.objectContaining({ type: 'mention' }));
      expect(card).not.toMatch(/"type":"TextBlock"[^}]*<at>/);
      for (const match of card.matchAll(/"text":"((?:[^"\\]|\\.)*)"/g))
        expect(JSON.parse(`"${match[1]}"`)).not.toMatch(controls);
    },
  );

  it.each(matrix)('%s with %s through the console: stored as typed', async (field, _name, text, prepare) => {
    const { command, stored } = await prepare(text);
    const reply = await h.command(typist(field), command);
    expect(reply.ok).toBe(true);
    expect(await stored()).toBe(text.trim());
  });

  // Slack answers escape <, > and & (so nothing above can notify or link) and drop control and
  // bidi-override characters, as Teams does.
  it('control and bidi characters are not shown back in Slack', async () => {
    const ref = await freshAction();
    const reply = await h.slackCommand(people.caseManager, `done ${ref} ${texts[6]![1]}`);
    for (const shown of slackTexts(reply)) expect(shown).not.toMatch(controls);
  });

  describe('the record of oversight', () => {
    const fields = (text: string) => ({
      note: text,
      deficits: text,
      rationale: text,
      procedure: text,
      reason: text,
      action: text,
    });
    const stored = async (requestId: string, text: string) => {
      const [record] = await db()
        .select()
        .from(oversightRecords)
        .where(eq(oversightRecords.requestId, requestId));
      const [made] = await db().select().from(actions).where(eq(actions.requestId, requestId));
      const t = text.trim();
      expect(record).toMatchObject({
        rationale: t,
        deficits: t,
        varianceProcedure: t,
        varianceReason: t,
        assurances: expect.objectContaining({ victimsProtected: { rating: 'insufficient', note: t } }),
      });
      expect(made?.description).toBe(t);
      // The notice in the channel shows none of it (SPEC 'Data minimisation').
      const notice = JSON.stringify(noticeMessage(await h.t.app.services.noticeView(requestId)));
      expect(notice).not.toContain(JSON.stringify(t).slice(1, -1));
    };

    it.each(texts)(
      'with %s in every field, from the Slack form: stored as typed, not echoed',
      async (_name, text) => {
        const { requestId } = await freshNotice();
        const answer = await h.slackSubmitRecord(
          people.manager,
          JSON.stringify({ requestId }),
          slackRecordValues(fields(text)),
        );
        expect(answer).toMatch(/Oversight recorded/);
        await stored(requestId, text);
      },
    );

    it.each(texts)(
      'with %s in every field, from the Teams form: stored as typed, not echoed',
      async (_name, text) => {
        const { requestId } = await freshNotice();
        const answer = await h.teamsPress(
          people.manager,
          'recordSubmit',
          teamsRecordData(requestId, fields(text)),
        );
        expect(answer.text).toMatch(/Oversight recorded/);
        expect(answer.text).not.toContain(text.trim().slice(0, 12));
        await stored(requestId, text);
      },
    );
  });

  it('a status answer lists reasons and descriptions escaped', async () => {
    const { crn } = await freshNotice();
    await h.t.app.services.refer(as(people.caseManager), { crn, reason: texts[0]![1] });
    const reply = await h.slackCommand(people.manager, `status ${crn}`);
    expect(reply).toContain('&lt;!channel&gt;');
    for (const shown of slackTexts(reply)) expect(shown).not.toMatch(slackMarkup);
  });
});
