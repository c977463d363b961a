import { eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import type { DigestFor } from '../commands/digest.ts';
import { usage } from '../commands/help.ts';
import { runCommand } from '../commands/index.ts';
import { commandNames } from '../commands/parse.ts';
import { apology } from '../commands/reply.ts';
import { actions, auditLog, deliveries, oversightRequests, requestTriggers } from '../db/schema/index.ts';
import type { ReplyView } from '../src/chat/views.ts';
import type { Actor } from '../src/context.ts';
import { AppError } from '../src/errors.ts';
import type { Services } from '../src/services.ts';
import { startTestApp, type TestApp } from './support/app.ts';
import { daysFromToday } from './support/dates.ts';
import { makeCase, makeStaff, makeTeam, notApplicableAssurances } from './support/factories.ts';

// An action due a month ago is overdue; one due in a month is not (in the team's timezone).
const overdue = daysFromToday(-30);
const later = daysFromToday(30);

const as = (staffCode: string | null): Actor => ({ staffCode, surface: 'slack' });
const assurances = notApplicableAssurances;
/** What a hostile or careless reason may hold: a channel-wide ping and a forged link. */
const markup = '<!channel> urgent, see <http://evil.example|click here> & ask <@U0KIM>';

describe('slash commands', () => {
  let t: TestApp;
  let services: Services;
  const db = () => t.db.storage.db;
  const run = (who: string | null, text: string, with_: Partial<Services> = {}) =>
    runCommand({ services: { ...services, ...with_ }, actor: as(who) }, text);
  const usageOf = (reply: ReplyView) => (reply.lines ?? []).join('\n');
  const refusals = async (action: string, actor: string) =>
    (await db().select().from(auditLog).where(eq(auditLog.action, action))).filter((r) => r.actor === actor);

  beforeAll(async () => {
    t = await startTestApp({ listen: false });
    services = t.app.services;
    await makeTeam(db());
    await makeStaff(db(), 'mgr-sam', 'manager', { name: 'Sam Reed' });
    await makeStaff(db(), 'cm-ali', 'case_manager', { name: 'Ali Shah' });
    await makeStaff(db(), 'cm-bo', 'case_manager', { name: 'Bo Tran' });
    await makeStaff(db(), 'tl-kim', 'team_lead', { name: 'Kim Lowe' });
    await makeTeam(db(), { code: 'YOT-S', name: 'South', slackChannel: 'C0SOUTH' });
    await makeStaff(db(), 'mgr-south', 'manager', { teamCode: 'YOT-S' });
    await makeStaff(db(), 'cm-south', 'case_manager', { teamCode: 'YOT-S' });
  });

  /** A referred case with a recorded decision and one action per owner/due date given. */
  async function withActions(
    crn: string,
    items: Array<{ owner: string; due: string; description?: string }>,
  ) {
    await makeCase(db(), crn);
    const { requestId } = await services.refer(as('cm-ali'), { crn, reason: 'Concern at home visit' });
    const recorded = await services.record(as('mgr-sam'), {
      requestId,
      assurances,
      rationale: 'Plan needs revising',
      actions: items.map((i) => ({
        description: i.description ?? 'Revise the plan',
        owner: i.owner,
        due: i.due,
      })),
    });
    return { requestId, refs: recorded.actions.map((a) => a.ref) };
  }
  const actionRow = async (ref: string) =>
    (await db().select().from(actions).where(eq(actions.ref, ref)))[0]!;

  describe('refer', () => {
    it('a case manager refers a case: a notice is queued and the reply says so', async () => {
      await makeCase(db(), 'X200001');
      const reply = await run('cm-ali', '  REFER   x200001   Disclosure at home visit ');
      expect(reply).toMatchObject({ ok: true, text: expect.stringContaining('Referred X200001') });
      expect(usageOf(reply)).toContain('Disclosure at home visit');
      const [request] = await db()
        .select()
        .from(oversightRequests)
        .where(eq(oversightRequests.crn, 'X200001'));
      const posts = await db().select().from(deliveries).where(eq(deliveries.requestId, request!.id));
      expect(posts.map((p) => p.kind)).toContain('notice.post');

      const again = await run('cm-bo', 'refer X200001 More concerns from school');
      expect(again).toMatchObject({ ok: true, text: expect.stringContaining('already open for X200001') });
    });

    it('staff of another team are refused, and the attempt is audited', async () => {
      await makeCase(db(), 'X200002');
      const reply = await run('cm-south', 'refer X200002 worried');
      expect(reply).toEqual({ ok: false, text: expect.stringMatching(/belongs to team YOT-N/) });
      expect(await refusals('request.refer.refused', 'cm-south')).toHaveLength(1);
      expect(await db().select().from(oversightRequests).where(eq(oversightRequests.crn, 'X200002'))).toEqual(
        [],
      );
    });

    it('someone the directory does not know is told to ask an admin', async () => {
      const reply = await run(null, 'refer X200002 worried');
      expect(reply).toMatchObject({ ok: false, text: expect.stringContaining("I don't know you yet") });
    });

    it('an unknown CRN is refused with a hint, not invented', async () => {
      const reply = await run('cm-ali', 'refer X299999 worried');
      expect(reply).toMatchObject({ ok: false, text: expect.stringContaining("don't know case X299999") });
    });

    it.each(['refer', 'refer banana worried', 'refer X20000 worried', 'refer X200002', 'refer  x200002  \t'])(
      'malformed %j gets refer usage and stores nothing',
      async (text) => {
        const reply = await run('cm-ali', text);
        expect(reply.ok).toBe(false);
        expect(usageOf(reply)).toContain('Usage: refer CRN reason…');
        expect(
          await db().select().from(oversightRequests).where(eq(oversightRequests.crn, 'X200002')),
        ).toEqual([]);
      },
    );
  });

  describe('status', () => {
    it("staff of the case's team see the live notice, its triggers and actions", async () => {
      const { refs } = await withActions('X200010', [
        { owner: 'cm-ali', due: overdue, description: 'Update the safety plan' },
        { owner: 'cm-bo', due: later },
      ]);
      const reply = await run('cm-bo', 'status x200010');
      expect(reply.ok).toBe(true);
      expect(reply.text).toMatch(/^X200010 \(youth, team YOT-N\): RoSH MEDIUM.*case manager Ali Shah/);
      const body = usageOf(reply);
      expect(body).toContain('Notice: oversight recorded');
      expect(body).toContain('Reason given: Concern at home visit');
      expect(body).toContain(
        `${refs[0]} open, OVERDUE; due ${overdue}, owner Ali Shah: Update the safety plan`,
      );
      expect(body).toContain(`${refs[1]} open; due ${later}, owner Bo Tran`);
    });

    it('a case without a live notice says so', async () => {
      await makeCase(db(), 'X200011');
      const reply = await run('tl-kim', 'status X200011');
      expect(reply).toMatchObject({ ok: true, lines: ['No open oversight notice.'] });
    });

    it('staff of another team are refused, and the attempt is audited', async () => {
      const reply = await run('mgr-south', 'status X200010');
      expect(reply).toEqual({
        ok: false,
        text: expect.stringContaining('only its staff can see its status'),
      });
      expect(JSON.stringify(reply)).not.toContain('Concern at home visit');
      const rows = await refusals('case.status.refused', 'mgr-south');
      expect(rows).toEqual([expect.objectContaining({ crn: 'X200010', surface: 'slack' })]);
    });

    it.each(['status', 'status 1234567', 'status X200010 please'])(
      'malformed %j gets status usage',
      async (text) => {
        const reply = await run('cm-ali', text);
        expect(reply.ok).toBe(false);
        expect(usageOf(reply)).toContain('Usage: status CRN');
      },
    );

    it('an unknown CRN is not found', async () => {
      expect(await run('cm-ali', 'status X299998')).toMatchObject({
        ok: false,
        text: expect.stringMatching(/don't know case X299998/),
      });
    });
  });

  describe('actions', () => {
    it("lists the caller's own open actions, overdue first", async () => {
      await makeStaff(db(), 'cm-dee', 'case_manager', { name: 'Dee' });
      const { refs } = await withActions('X200020', [
        { owner: 'cm-dee', due: later, description: 'Later' },
        { owner: 'cm-dee', due: overdue, description: 'Overdue one' },
        { owner: 'cm-ali', due: overdue, description: 'Not hers' },
      ]);
      const reply = await run('cm-dee', 'actions');
      expect(reply.text).toContain('Your open actions: 2, of which 1 overdue');
      expect(reply.lines).toEqual([
        `${refs[1]} (X200020) due ${overdue} [OVERDUE]: Overdue one`,
        `${refs[0]} (X200020) due ${later}: Later`,
      ]);
    });

    it('someone with none is told so', async () => {
      expect(await run('tl-kim', 'Actions')).toEqual({ ok: true, text: 'You have no open actions.' });
    });

    it('someone the directory does not know is refused, and audited', async () => {
      expect((await run('ghost', 'actions')).text).toContain("I don't know you yet");
      expect(await refusals('actions.list.refused', 'ghost')).toHaveLength(1);
    });

    it('malformed "actions mine" gets usage', async () => {
      expect(usageOf(await run('cm-ali', 'actions mine'))).toContain('Usage: actions');
    });
  });

  describe('done, confirm, reopen, cancel', () => {
    it('the owner marks done; a manager reopens, confirms, cancels; the request then closes', async () => {
      const { requestId, refs } = await withActions('X200030', [
        { owner: 'cm-ali', due: later },
        { owner: 'cm-ali', due: later },
      ]);
      const [a1, a2] = refs as [string, string];
      const done = await run('cm-ali', `done ${a1.toLowerCase()} Plan revised and signed`);
      expect(done).toMatchObject({
        ok: true,
        text: `${a1} (X200030) is marked done; the team's managers are asked to confirm it.`,
      });
      expect((await actionRow(a1)).status).toBe('done_claimed');

      const reopened = await run('mgr-sam', `reopen ${a1} Police not yet told`);
      expect(reopened).toMatchObject({ ok: true, lines: ['Reason: Police not yet told'] });
      expect(await actionRow(a1)).toMatchObject({ status: 'open', reason: 'Police not yet told' });

      expect(await run('mgr-sam', `confirm ${a1}`)).toEqual({
        ok: true,
        text: `${a1} (X200030) is confirmed as done.`,
        lines: [],
      });
      expect(await run('mgr-sam', `confirm ${a1}`)).toMatchObject({
        ok: false,
        text: `${a1} is already confirmed.`,
      });

      const cancelled = await run('mgr-sam', `cancel ${a2} Police already informed by MASH`);
      expect(cancelled.lines).toEqual([
        'Reason: Police already informed by MASH',
        expect.stringContaining('the notice is closed'),
      ]);
      const [request] = await db()
        .select()
        .from(oversightRequests)
        .where(eq(oversightRequests.id, requestId));
      expect(request?.status).toBe('closed');
    });

    it('only the owner or a manager marks done; the refusal is audited and changes nothing', async () => {
      const { refs } = await withActions('X200031', [{ owner: 'cm-ali', due: later }]);
      const reply = await run('cm-bo', `done ${refs[0]} I did it`);
      expect(reply).toEqual({
        ok: false,
        text: expect.stringContaining("(the action's owner) or a manager"),
      });
      expect((await actionRow(refs[0]!)).status).toBe('open');
      expect(await refusals('action.done.refused', 'cm-bo')).toHaveLength(1);
    });

    it.each([
      ['confirm', ''],
      ['reopen', ' not good enough'],
      ['cancel', ' not needed'],
    ])('a case manager cannot %s an action; the refusal is audited', async (verb, reason) => {
      const { refs } = await withActions(`X2000${40 + ['confirm', 'reopen', 'cancel'].indexOf(verb)}`, [
        { owner: 'cm-ali', due: later },
      ]);
      await run('cm-ali', `done ${refs[0]} finished`);
      const reply = await run('cm-ali', `${verb} ${refs[0]}${reason}`);
      expect(reply).toEqual({
        ok: false,
        text: `Sorry, only a manager of team YOT-N can ${verb} an action.`,
      });
      expect((await actionRow(refs[0]!)).status).toBe('done_claimed');
      expect(await refusals(`action.${verb}.refused`, 'cm-ali')).toHaveLength(1);
    });

    it('a manager of another team is refused too', async () => {
      const { refs } = await withActions('X200043', [{ owner: 'cm-ali', due: later }]);
      expect(await run('mgr-south', `cancel ${refs[0]} not ours`)).toMatchObject({ ok: false });
      expect((await actionRow(refs[0]!)).status).toBe('open');
    });

    it.each<[string, string]>([
      ['done', 'done REF evidence…'],
      ['done A1', 'done REF evidence…'],
      ['done 12 finished', 'done REF evidence…'],
      ['done X200031 finished', 'done REF evidence…'],
      ['confirm', 'confirm REF'],
      ['confirm banana', 'confirm REF'],
      ['confirm A1 looks good', 'confirm REF'],
      ['reopen A1', 'reopen REF reason…'],
      ['cancel A1   ', 'cancel REF reason…'],
    ])('malformed %j gets usage', async (text, syntax) => {
      const reply = await run('mgr-sam', text);
      expect(reply.ok).toBe(false);
      expect(usageOf(reply)).toContain(`Usage: ${syntax}`);
    });

    it('an unknown ref is not found, with a hint', async () => {
      expect(await run('cm-ali', 'done A999999999 finished')).toMatchObject({
        ok: false,
        text: expect.stringMatching(/No action A999999999/),
      });
    });

    it('evidence the service refuses comes back with field hints and usage', async () => {
      const { refs } = await withActions('X200032', [{ owner: 'cm-ali', due: later }]);
      const reply = await run('cm-ali', `done ${refs[0]} ${'x'.repeat(2001)}`);
      expect(reply).toMatchObject({ ok: false, text: expect.stringContaining('Evidence is too long') });
      expect(reply.lines).toEqual([
        'evidence: too long',
        expect.stringContaining('Usage: done REF evidence…'),
      ]);
    });
  });

  describe('digest and help', () => {
    it('digest says it is not available when no digest service is wired', async () => {
      expect(await run('tl-kim', 'digest', { digestFor: undefined } as Partial<Services>)).toMatchObject({
        ok: false,
        text: expect.stringMatching(/not available yet/),
      });
    });

    it('digest uses the digest service once there is one', async () => {
      const digestFor: DigestFor = async (actor) => ({
        ok: true,
        text: `Digest for ${actor.staffCode}`,
        lines: ['1 overdue'],
      });
      const reply = await run('tl-kim', 'digest', { digestFor } as Partial<Services>);
      expect(reply).toEqual({ ok: true, text: 'Digest for tl-kim', lines: ['1 overdue'] });
    });

    it("digest answers from the team digest service for the team's lead", async () => {
      expect(await run('tl-kim', 'digest')).toMatchObject({ ok: true, text: expect.any(String) });
    });

    it('help lists every command with an example', async () => {
      const reply = await run('cm-ali', 'help');
      expect(reply.ok).toBe(true);
      for (const name of commandNames) {
        expect(reply.lines).toContainEqual(expect.stringContaining(`${usage[name].syntax} — `));
        expect(reply.lines).toContainEqual(expect.stringContaining(`Example: ${usage[name].example}`));
      }
      expect(await run('cm-ali', 'HELP cancel')).toMatchObject({
        ok: true,
        lines: [expect.stringContaining('cancel REF reason…')],
      });
    });

    it('an unknown command gets the whole help, not a stack trace', async () => {
      const reply = await run('cm-ali', 'frobnicate X200001');
      expect(reply.ok).toBe(false);
      expect(reply.text).toContain(`I don't know the command "frobnicate"`);
      expect(reply.lines).toHaveLength(commandNames.length);
    });
  });

  describe('failures', () => {
    it('an unexpected error becomes a generic apology with no detail', async () => {
      const refer = async () => {
        throw new Error('connect ECONNREFUSED 10.0.0.5:5432 while referring for Ali Shah');
      };
      await makeCase(db(), 'X200050');
      const reply = await run('cm-ali', 'refer X200050 worried', { refer } as Partial<Services>);
      expect(reply).toEqual({ ok: false, text: apology });
    });

    it('a conflict is answered with its message', async () => {
      const refer = async () => {
        throw new AppError('conflict', 'Someone else changed it first.');
      };
      expect(await run('cm-ali', 'refer X200050 worried', { refer } as Partial<Services>)).toEqual({
        ok: false,
        text: 'Someone else changed it first.',
      });
    });
  });

  describe('chat markup in free text', () => {
    const plain = (reply: ReplyView) => {
      // A ReplyView is plain text: no blocks or cards, and nothing escaped or rendered yet.
      expect(Object.keys(reply).every((k) => ['ok', 'text', 'lines'].includes(k))).toBe(true);
      expect(JSON.stringify(reply)).not.toMatch(/&lt;|&gt;|&amp;/);
    };

    it('a referral reason with <!channel> and a forged link is stored and exported verbatim', async () => {
      await makeCase(db(), 'X200060');
      const reply = await run('cm-ali', `refer X200060 ${markup}`);
      plain(reply);
      expect(reply.lines?.[0]).toContain(markup);
      const stored = await db()
        .select({ reason: requestTriggers.referralReason })
        .from(requestTriggers)
        .innerJoin(oversightRequests, eq(oversightRequests.id, requestTriggers.requestId))
        .where(eq(oversightRequests.crn, 'X200060'));
      expect(stored).toEqual([{ reason: markup }]);
      const record = await services.caseRecord('X200060');
      expect(record.requests[0]?.triggers[0]?.referralReason).toBe(markup);
      const status = await run('mgr-sam', 'status X200060');
      plain(status);
      expect(usageOf(status)).toContain(`Reason given: ${markup}`);
    });

    it('evidence and a cancellation reason with markup are stored and exported verbatim', async () => {
      const { refs } = await withActions('X200061', [
        { owner: 'cm-ali', due: later },
        { owner: 'cm-ali', due: later },
      ]);
      const done = await run('cm-ali', `done ${refs[0]} ${markup}`);
      const cancelled = await run('mgr-sam', `cancel ${refs[1]} ${markup}`);
      plain(done);
      plain(cancelled);
      expect(done.lines).toEqual([`Evidence: ${markup}`]);
      expect(cancelled.lines?.[0]).toBe(`Reason: ${markup}`);
      expect((await actionRow(refs[0]!)).doneEvidence).toBe(markup);
      expect((await actionRow(refs[1]!)).reason).toBe(markup);
      const exported = (await services.caseRecord('X200061')).requests[0]!.actions;
      expect(exported.map((a) => [a.doneEvidence, a.reason])).toEqual([
        [markup, null],
        [null, markup],
      ]);
    });
  });
});
