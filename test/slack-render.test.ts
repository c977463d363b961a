import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { placeErrors, readRecordAnswers, recordFormModel } from '../interactions/record-form.ts';
import { slashCommand } from '../src/adapters/slack/ids.ts';
import { slackEventsPath } from '../src/adapters/slack/index.ts';
import { messageBlocks, replyBlocks, sections } from '../src/adapters/slack/render/message.ts';
import { noticeMessage } from '../src/adapters/slack/render/notice.ts';
import { readModalAnswers } from '../src/adapters/slack/render/record-form.ts';
import { recordModal } from '../src/adapters/slack/render/record-modal.ts';
import type { NoticeView, PersonRef } from '../src/chat/views.ts';
import { specFormLabels } from './support/factories.ts';

const hostile = '<!channel> <!here|here> <@U0SAM> <http://evil.example|click me> & more';

const person = (code: string, slackUserId: string | null, name = code): PersonRef => ({
  code,
  name,
  slackUserId,
  msteamsAadObjectId: null,
});

function notice(overrides: Partial<NoticeView> = {}): NoticeView {
  return {
    requestId: '00000000-0000-4000-8000-000000000001',
    crn: 'X123456',
    service: 'youth',
    teamCode: 'YOT-N',
    timezone: 'Europe/London',
    rosh: 'HIGH',
    vulnerability: 'MEDIUM',
    status: 'open',
    triggers: [
      {
        category: 'police',
        rule: 'police-arrest',
        reason: 'Police arrest for a violence offence',
        policyVersion: '2026-11-default',
        at: new Date('2026-11-20T10:00:00Z'),
      },
    ],
    caseManager: person('cm-ali', 'U0ALI'),
    openedAt: new Date('2026-11-20T10:00:00Z'),
    acknowledgeBy: new Date('2026-11-21T10:00:00Z'),
    acknowledged: null,
    recorded: null,
    actions: [],
    closedAt: null,
    ...overrides,
  };
}

/** Every piece of text Slack would parse as mrkdwn in a rendered message. */
const allText = (value: unknown) => JSON.stringify(value);

describe('Slack rendering', () => {
  it('a notice shows the CRN, levels, trigger with its rule, the case manager mention and the buttons', () => {
    const message = noticeMessage(notice());
    const text = allText(message);
    expect(text).toContain('X123456');
    expect(text).toContain('High');
    expect(text).toContain('Police arrest for a violence offence');
    expect(text).toContain('police-arrest');
    expect(text).toContain('<@U0ALI>');
    expect(text).toContain('Sat 21 Nov 10:00');
    const actions = message.blocks.find((b) => b.type === 'actions') as {
      elements: Array<{ action_id: string }>;
    };
    expect(actions.elements.map((e) => e.action_id)).toEqual([
      'oversight_acknowledge',
      'oversight_record',
      'oversight_escalate',
    ]);
  });

  it('an acknowledged notice says who and when and drops the Acknowledge button; a closed one has no buttons', () => {
    const acknowledged = noticeMessage(
      notice({
        status: 'acknowledged',
        acknowledged: { by: person('mgr-sam', 'U0SAM'), at: new Date('2026-11-20T11:00:00Z') },
      }),
    );
    expect(allText(acknowledged)).toContain('acknowledged by <@U0SAM> at Fri 20 Nov 11:00');
    expect(allText(acknowledged)).not.toContain('oversight_acknowledge');
    const closed = noticeMessage(notice({ status: 'closed', closedAt: new Date('2026-11-25T09:00:00Z') }));
    expect(closed.blocks.some((b) => b.type === 'actions')).toBe(false);
  });

  it('text from the directory, the policy or people is escaped: no broadcast, mention or link passes through', () => {
    const message = noticeMessage(
      notice({
        caseManager: person('cm-x', null, hostile),
        triggers: [{ ...notice().triggers[0]!, reason: hostile, rule: hostile, category: hostile }],
        actions: [
          {
            ref: 'A1',
            status: 'open',
            owner: person('o', null, hostile),
            dueDate: '2026-12-01',
            overdue: true,
          },
        ],
      }),
    );
    const dm = messageBlocks(
      { kind: 'reminder', title: hostile, lines: [hostile] },
      'https://x.example/a|b>',
    );
    const reply = replyBlocks({ ok: false, text: hostile, lines: [hostile] });
    for (const rendered of [message, dm, reply]) {
      const text = allText(rendered);
      expect(text).not.toContain('<!channel>');
      expect(text).not.toContain('<!here');
      expect(text).not.toContain('<@U0SAM>');
      expect(text).not.toContain('<http://evil');
      expect(text).toContain('&lt;!channel&gt;');
    }
    expect(allText(dm)).toContain('<https://x.example/a%7Cb%3E|View the oversight notice>');
  });

  it('a staff mention is only built from a well-formed Slack user id', () => {
    const text = allText(noticeMessage(notice({ caseManager: person('cm', 'U1> <!channel', 'Ali') })));
    expect(text).toContain('Ali');
    expect(text).not.toContain('<!channel');
  });

  it("the record modal uses the paper's labels and offers the team's staff as owners", () => {
    const view = recordModal(
      recordFormModel({
        requestId: notice().requestId,
        crn: 'X123456',
        teamCode: 'YOT-N',
        owners: [
          { code: 'cm-ali', name: 'Ali Shah' },
          { code: 'mgr-sam', name: 'Sam Reed' },
        ],
      }),
    );
    const text = allText(view);
    for (const label of specFormLabels) {
      expect(text).toContain(`"text":"${label}"`);
    }
    expect(text).toContain('"text":"Ali Shah"');
    expect(text).toContain('"value":"cm-ali"');
    expect(view.private_metadata).toContain(notice().requestId);
  });

  it('reads a submitted form; a half-filled action slot is kept so its errors land on that slot', () => {
    const values = {
      'assurances.victimsProtected.rating': { value: { selected_option: { value: 'insufficient' } } },
      'assurances.victimsProtected.note': { value: { value: 'Plan out of date' } },
      rationale: { value: { value: '  ' } },
      evidence: { value: { selected_options: [{ value: 'case_discussion' }] } },
      'actions.2.description': { value: { value: 'Revise the plan' } },
      'actions.2.owner': { value: { selected_option: null } },
      'actions.2.due': { value: { selected_date: null } },
    };
    const model = recordFormModel({ requestId: 'r-1', crn: 'X123456', teamCode: 'YOT-N', owners: [] });
    const form = readRecordAnswers(model, readModalAnswers(values));
    expect(form.input).toMatchObject({
      requestId: 'r-1',
      evidence: ['case_discussion'],
      actions: [{ description: 'Revise the plan', owner: '', due: '' }],
    });
    expect(form.rows).toEqual([2]);
    // The form itself finds what is missing, on the field it belongs to.
    expect(form.errors).toEqual(
      expect.arrayContaining([
        { path: 'rationale', message: 'Rationale is required' },
        {
          path: 'assurances.escalation.rating',
          message: 'Escalation: choose sufficient, insufficient or not applicable',
        },
      ]),
    );
    const { byPath, unplaced } = placeErrors(
      model,
      [
        { path: 'rationale', message: 'Rationale is required' },
        { path: 'actions[0].owner', message: 'Owner is required' },
        { path: 'assurances.escalation.rating', message: 'Escalation: choose' },
        { path: 'requestId', message: 'bad id' },
      ],
      form.rows,
    );
    expect(byPath).toEqual({
      rationale: 'Rationale is required',
      'actions.2.owner': 'Owner is required',
      'assurances.escalation.rating': 'Escalation: choose',
    });
    expect(unplaced).toEqual(['bad id']);
  });

  it('the app manifest declares the command, scopes and interactivity the adapter serves', () => {
    const manifest = parse(readFileSync(new URL('../slack/manifest.yaml', import.meta.url), 'utf8')) as {
      features: { slash_commands: Array<{ command: string; url: string }> };
      oauth_config: { scopes: { bot: string[] } };
      settings: { interactivity: { is_enabled: boolean; request_url: string } };
    };
    expect(manifest.features.slash_commands.map((c) => c.command)).toEqual([slashCommand]);
    expect(manifest.features.slash_commands[0]!.url.endsWith(slackEventsPath)).toBe(true);
    expect(manifest.settings.interactivity).toMatchObject({ is_enabled: true });
    expect(manifest.settings.interactivity.request_url.endsWith(slackEventsPath)).toBe(true);
    expect(manifest.oauth_config.scopes.bot).toEqual(expect.arrayContaining(['chat:write', 'commands']));
  });

  it("a long message is split into sections within Slack's limits instead of being cut off", () => {
    const lines = Array.from(
      { length: 400 },
      (_, i) => `• A${i}: owner <@U0ALI>, due 2026-12-01, overdue by ${i} days`,
    );
    const blocks = sections(lines);
    expect(blocks.every((b) => (b.text?.text.length ?? 0) <= 3000)).toBe(true);
    expect(blocks.length).toBeGreaterThan(1);
    expect(blocks.map((b) => b.text?.text).join('\n')).toContain('A399');
  });
});
