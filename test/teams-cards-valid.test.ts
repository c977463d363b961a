import { createRequire } from 'node:module';
import type { AdaptiveCard as CardJson } from '@microsoft/agents-hosting';
import { describe, expect, it } from 'vitest';
import { recordFormModel } from '../interactions/record-form.ts';
import { messageCard, replyCard } from '../src/adapters/teams/cards/message.ts';
import { noticeCard } from '../src/adapters/teams/cards/notice.ts';
import { recordFormCard } from '../src/adapters/teams/cards/record-form.ts';
import type { NoticeView, PersonRef } from '../src/chat/views.ts';
import { daysFromToday } from './support/dates.ts';

// The package's ESM build imports paths without extensions, which Node refuses; its UMD build
// needs no DOM to parse and validate (STACK-NOTES).
const require = createRequire(import.meta.url);
const AC = require('adaptivecards/dist/adaptivecards.js') as {
  AdaptiveCard: new () => {
    parse(json: unknown, context: unknown): void;
    validateProperties(): { validationEvents: Array<{ message: string }> };
  };
  SerializationContext: new () => { eventCount: number; getEventAt(i: number): { message: string } };
};

/** What the Adaptive Cards library objects to in a card: parse warnings and validation errors. */
function problems(card: CardJson): string[] {
  const parsed = new AC.AdaptiveCard();
  const context = new AC.SerializationContext();
  parsed.parse(card, context);
  const parse = Array.from({ length: context.eventCount }, (_, i) => context.getEventAt(i).message);
  return [...parse, ...parsed.validateProperties().validationEvents.map((e) => e.message)];
}

const hostile = '<at>everyone</at> **bold** [click](https://evil.example) & "quotes"';
const hour = 3_600_000;
const now = new Date();
const later = (hours: number) => new Date(now.getTime() + hours * hour);

const person = (code: string, name = code): PersonRef => ({
  code,
  name,
  slackUserId: null,
  msteamsAadObjectId: `00000000-0000-4000-8000-${code.length.toString().padStart(12, '0')}`,
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
    triggers: [{ category: 'police', rule: 'police-arrest', reason: hostile, policyVersion: 'v1', at: now }],
    caseManager: person('cm-ali', 'Ali Khan'),
    openedAt: now,
    acknowledgeBy: later(24),
    acknowledged: null,
    recorded: null,
    actions: [],
    closedAt: null,
    ...overrides,
  };
}

const form = recordFormModel({
  requestId: '00000000-0000-4000-8000-000000000001',
  crn: 'X123456',
  teamCode: 'YOT-N',
  owners: [
    { code: 'cm-ali', name: 'Ali Khan' },
    { code: 'mgr-sam', name: hostile },
  ],
});

const cards: Array<[string, CardJson]> = [
  ['an open notice', noticeCard(notice())],
  [
    'a notice with no levels and no case manager',
    noticeCard(notice({ rosh: null, vulnerability: null, caseManager: null })),
  ],
  [
    'an acknowledged notice',
    noticeCard(notice({ status: 'acknowledged', acknowledged: { by: person('mgr-sam'), at: later(1) } })),
  ],
  [
    'a recorded notice with actions, one overdue',
    noticeCard(
      notice({
        status: 'recorded',
        acknowledged: { by: person('mgr-sam'), at: later(1) },
        recorded: { by: person('mgr-sam'), at: later(2) },
        actions: [
          { ref: 'A1', status: 'open', owner: person('cm-ali'), dueDate: daysFromToday(30), overdue: false },
          {
            ref: 'A2',
            status: 'done_claimed',
            owner: person('cm-ali'),
            dueDate: daysFromToday(-30),
            overdue: true,
          },
        ],
      }),
    ),
  ],
  ['a closed notice', noticeCard(notice({ status: 'closed', closedAt: later(3) }))],
  [
    'a reminder with a case record button',
    messageCard({ kind: 'reminder', title: 'Reminder', lines: [hostile, 'Second line'], requestId: 'r1' }),
  ],
  ['a digest without a button', messageCard({ kind: 'digest', title: 'Digest', lines: [] })],
  ['a successful reply', replyCard({ ok: true, text: 'Done', lines: [hostile] })],
  ['a refusal', replyCard({ ok: false, text: hostile })],
  ['the empty record form', recordFormCard(form)],
  [
    'a record form correcting an earlier record, sent back with values and errors',
    recordFormCard(
      { ...form, supersedes: { id: '00000000-0000-4000-8000-000000000002', by: 'Sam Jones' } },
      {
        values: { rationale: hostile, action1_description: 'Revise the plan', action1_due: 'not a date' },
        errors: {
          message: 'Some answers need fixing',
          byPath: { rationale: 'Say why', 'actions.1.due': 'Give a date', 'actions.1.owner': 'Choose who' },
          unplaced: [hostile],
        },
      },
    ),
  ],
];

describe('every Adaptive Card we render', () => {
  it.each(cards)('%s parses and validates with the Adaptive Cards library', (_name, card) => {
    expect(problems(card)).toEqual([]);
  });

  it('the check catches a broken card', () => {
    const broken = {
      ...replyCard({ ok: true, text: 'x' }),
      body: [{ type: 'Input.Text' }, { type: 'Nope' }],
    };
    expect(problems(broken as CardJson)).toHaveLength(2);
  });
});
