import { describe, expect, it } from 'vitest';
import { type Grade, type Level, levels } from '../db/schema/index.ts';
import { type Evaluation, evaluate } from '../src/policy/index.ts';
import { assessed, caseEvent, policy, policyWith, state } from './policy-support.ts';
import { isoDaysAfter } from './support/dates.ts';

/** When a watch began in these tests: some weeks before the test ran. */
const watchStart = isoDaysAfter(-20);

const pick = (e: Evaluation) => ({ outcome: e.outcome, rule: e.rule });

describe('risk levels: youth at MEDIUM or above, adult at HIGH or above (the paper’s thresholds)', () => {
  // Rows: the level before (— for a case first seen); columns: the level assessed, LOW … VERY_HIGH.
  const R = 'required';
  const W = 'watch';
  const N = 'none';
  const table = {
    adult: {
      '—': [N, N, R, R],
      LOW: [N, W, R, R],
      MEDIUM: [N, N, R, R],
      HIGH: [N, N, R, R],
      VERY_HIGH: [N, N, R, R],
    },
    youth: {
      '—': [N, R, R, R],
      LOW: [N, R, R, R],
      MEDIUM: [N, R, R, R],
      HIGH: [N, R, R, R],
      VERY_HIGH: [N, R, R, R],
    },
  } as const;

  for (const [service, rows] of Object.entries(table) as Array<
    [keyof typeof table, (typeof table)['adult']]
  >) {
    for (const [from, outcomes] of Object.entries(rows)) {
      levels.forEach((to, i) => {
        const expected = outcomes[i]!;
        it(`${service} RoSH ${from} → ${to}: ${expected}`, () => {
          const before =
            from === '—' ? undefined : state({ service, rosh: from as Level, vulnerability: 'LOW' });
          const result = evaluate(
            before,
            assessed(service, to, service === 'youth' ? 'LOW' : undefined),
            policy,
          );
          expect(result.outcome).toBe(expected);
          expect(result.rule).toBe(
            expected === 'required'
              ? `${service}.rosh_threshold`
              : expected === 'watch'
                ? `${service}.rising_below_threshold`
                : `${service}.below_threshold`,
          );
          expect(result.policyVersion).toBe('2026-11-default');
          expect(result.category).toBe('risk');
        });
      });
    }
  }

  it('names the rule, the level and the threshold in words a manager reads', () => {
    expect(evaluate(undefined, assessed('youth', 'MEDIUM', 'LOW'), policy).reason).toBe(
      'Youth case: RoSH Medium, at or above the threshold (Medium)',
    );
    expect(
      evaluate(state({ service: 'adult', rosh: 'LOW' }), assessed('adult', 'MEDIUM'), policy).reason,
    ).toBe('Adult case: RoSH rose from Low to Medium, below the threshold (High)');
    expect(evaluate(undefined, assessed('adult', 'MEDIUM'), policy).reason).toBe(
      'Adult case: RoSH Medium, below the threshold (High)',
    );
    expect(
      evaluate(state({ service: 'adult', rosh: 'HIGH' }), assessed('adult', 'MEDIUM'), policy).reason,
    ).toBe('Adult case: RoSH lowered from High to Medium, below the threshold (High)');
  });

  it.each([
    ['LOW', 'LOW', 'none', 'youth.below_threshold'],
    ['LOW', 'MEDIUM', 'required', 'youth.vulnerability_threshold'],
    ['LOW', 'VERY_HIGH', 'required', 'youth.vulnerability_threshold'],
    ['MEDIUM', 'HIGH', 'required', 'youth.rosh_threshold'],
  ] as const)('youth RoSH %s with vulnerability %s: %s (%s)', (rosh, vulnerability, outcome, rule) => {
    expect(pick(evaluate(undefined, assessed('youth', rosh, vulnerability), policy))).toEqual({
      outcome,
      rule,
    });
  });

  it('a youth vulnerability at the threshold still counts when an assessment reports only RoSH', () => {
    const before = state({ service: 'youth', rosh: 'LOW', vulnerability: 'HIGH' });
    const result = evaluate(before, assessed('youth', 'LOW'), policy);
    expect(pick(result)).toEqual({ outcome: 'required', rule: 'youth.vulnerability_threshold' });
    expect(result.after.vulnerability).toBe('HIGH');
  });

  it('an adult case’s vulnerability has no threshold', () => {
    const result = evaluate(undefined, assessed('adult', 'LOW', 'VERY_HIGH'), policy);
    expect(pick(result)).toEqual({ outcome: 'none', rule: 'adult.below_threshold' });
    expect(result.after.vulnerability).toBe('VERY_HIGH');
  });

  it('a youth vulnerability rising below a stricter threshold puts the case on the watch list', () => {
    const strict = policyWith({
      'youth: { rosh: MEDIUM, vulnerability: MEDIUM }': 'youth: { rosh: HIGH, vulnerability: HIGH }',
    });
    const before = state({ service: 'youth', rosh: 'LOW', vulnerability: 'LOW' });
    expect(pick(evaluate(before, assessed('youth', 'LOW', 'MEDIUM'), strict))).toEqual({
      outcome: 'watch',
      rule: 'youth.rising_below_threshold',
    });
    expect(pick(evaluate(before, assessed('youth', 'MEDIUM', 'LOW'), strict)).outcome).toBe('watch');
    expect(pick(evaluate(before, assessed('youth', 'HIGH', 'LOW'), strict)).outcome).toBe('required');
    expect(evaluate(before, assessed('youth', 'LOW'), strict).policyVersion).toBe('test-1');
  });
});

describe('the watch list', () => {
  it('a rise below the threshold starts the watch; a further rise keeps its start; the threshold ends it', () => {
    const low = state({ service: 'adult', rosh: 'LOW' });
    const first = evaluate(
      low,
      caseEvent('adult', 'risk.assessed', { rosh: 'MEDIUM' }, { occurredAt: watchStart }),
      policy,
    );
    expect(first.after.watchSince).toEqual(new Date(watchStart));
    expect(first.after.watchReason).toBe(first.reason);

    const police = evaluate(
      first.after,
      caseEvent(
        'adult',
        'police.callout',
        { domesticAbuse: false },
        { occurredAt: isoDaysAfter(4, new Date(watchStart)) },
      ),
      policy,
    );
    expect(police.outcome).toBe('watch');
    expect(police.after.watchSince).toEqual(new Date(watchStart));
    expect(police.after.watchReason).toBe(police.reason);

    const high = evaluate(police.after, assessed('adult', 'HIGH'), policy);
    expect(high.outcome).toBe('required');
    expect(high.after).toMatchObject({ watchSince: null, watchReason: null, rosh: 'HIGH' });
  });

  it('a lowered level ends the watch; the same level again keeps it', () => {
    const watched = state({
      service: 'adult',
      rosh: 'MEDIUM',
      watchSince: new Date(watchStart),
      watchReason: 'rose',
    });
    expect(evaluate(watched, assessed('adult', 'MEDIUM'), policy).after.watchSince).toEqual(
      new Date(watchStart),
    );
    expect(evaluate(watched, assessed('adult', 'LOW'), policy).after).toMatchObject({
      watchSince: null,
      watchReason: null,
    });
  });
});

describe('police', () => {
  it.each(['violence', 'sexual', 'weapons', 'arson', 'domestic_abuse'])(
    'arrest for %s: required',
    (category) => {
      const result = evaluate(
        undefined,
        caseEvent('adult', 'police.arrest', { offenceCategory: category }),
        policy,
      );
      expect(pick(result)).toEqual({ outcome: 'required', rule: 'police.required_offence' });
      expect(result.category).toBe('police');
    },
  );

  it('charge or arrest, in any spelling of the category', () => {
    const charge = evaluate(
      undefined,
      caseEvent('youth', 'police.charge', { offenceCategory: 'Domestic-Abuse' }),
      policy,
    );
    expect(charge.outcome).toBe('required');
    expect(charge.reason).toBe('Youth case: police charge for a domestic abuse offence');
    expect(
      evaluate(undefined, caseEvent('youth', 'police.arrest', { offenceCategory: 'arson' }), policy).reason,
    ).toBe('Youth case: police arrest for an arson offence');
  });

  it('a theft arrest goes on the watch list, without repeating the category', () => {
    const result = evaluate(
      state({ service: 'adult', rosh: 'LOW' }),
      caseEvent('adult', 'police.arrest', { offenceCategory: 'theft' }),
      policy,
    );
    expect(pick(result)).toEqual({ outcome: 'watch', rule: 'police.other' });
    expect(result.reason).not.toMatch(/theft/);
  });

  it('a domestic-abuse call-out on a LOW adult case: required', () => {
    const result = evaluate(
      state({ service: 'adult', rosh: 'LOW' }),
      caseEvent('adult', 'police.callout', { domesticAbuse: true }),
      policy,
    );
    expect(result).toMatchObject({
      outcome: 'required',
      rule: 'police.domestic_abuse_callout',
      reason: 'Adult case: domestic abuse call-out',
      category: 'police',
    });
  });

  it('any other call-out: watch', () => {
    expect(
      pick(evaluate(undefined, caseEvent('youth', 'police.callout', { domesticAbuse: false }), policy)),
    ).toEqual({
      outcome: 'watch',
      rule: 'police.other',
    });
  });

  it('a category the policy adds is required too', () => {
    const wider = policyWith({ 'arson, domestic_abuse]': 'arson, domestic_abuse, burglary]' });
    expect(
      evaluate(undefined, caseEvent('adult', 'police.arrest', { offenceCategory: 'burglary' }), wider)
        .outcome,
    ).toBe('required');
  });
});

describe('courts, screening, registrations', () => {
  it.each([
    [true, 'required', 'court.serious_offence'],
    [false, 'watch', 'court.other'],
  ] as const)('further court appearance, serious offence %s: %s', (seriousOffence, outcome, rule) => {
    const result = evaluate(undefined, caseEvent('adult', 'court.appearance', { seriousOffence }), policy);
    expect({ ...pick(result), category: result.category }).toEqual({ outcome, rule, category: 'court' });
  });

  it.each([
    [
      ['previous violence'],
      'required',
      'screening.raised_risk',
      'Youth case: 1 raised-risk indicator at initial screening',
    ],
    [
      ['a', 'b'],
      'required',
      'screening.raised_risk',
      'Youth case: 2 raised-risk indicators at initial screening',
    ],
    [[], 'none', 'screening.no_indicators', 'Youth case: no raised-risk indicators at initial screening'],
  ] as const)('screening with indicators %j: %s', (indicators, outcome, rule, reason) => {
    const result = evaluate(
      undefined,
      caseEvent('youth', 'screening.completed', { indicators: [...indicators] }),
      policy,
    );
    expect(result).toMatchObject({ outcome, rule, reason, category: 'screening' });
  });

  it.each([
    'domestic_abuse',
    'child_protection',
    'child_concerns',
    'mappa',
    'risk_to_staff',
    'public_protection',
  ])('registration %s: required, and kept as a flag', (type) => {
    const result = evaluate(
      state({ service: 'adult', flags: ['other'] }),
      caseEvent('adult', 'registration.added', { type }),
      policy,
    );
    expect(pick(result)).toEqual({ outcome: 'required', rule: 'registration.required_type' });
    expect(result.after.flags).toEqual(['other', type]);
  });

  it('names a MAPPA registration as managers do', () => {
    expect(
      evaluate(undefined, caseEvent('adult', 'registration.added', { type: 'MAPPA' }), policy).reason,
    ).toBe('Adult case: MAPPA registration added');
  });

  it('another registration decides nothing but is kept once as a flag', () => {
    const before = state({ service: 'adult', flags: ['substance_misuse'] });
    const result = evaluate(
      before,
      caseEvent('adult', 'registration.added', { type: 'Substance Misuse' }),
      policy,
    );
    expect(pick(result)).toEqual({ outcome: 'none', rule: 'registration.other' });
    expect(result.after.flags).toEqual(['substance_misuse']);
  });
});

describe('allocation: grade order PQiP < PSO < NQO < PO < SPO', () => {
  const allocate = (grade: Grade) => caseEvent('adult', 'case.allocated', { caseManager: 'cm-new', grade });

  it('a HIGH adult case allocated to a PSO: required, rule allocation', () => {
    const result = evaluate(state({ service: 'adult', rosh: 'HIGH' }), allocate('PSO'), policy);
    expect(result).toMatchObject({
      outcome: 'required',
      rule: 'allocation',
      category: 'allocation',
      reason:
        'Adult case: allocation of a High case to a practitioner graded PSO, below the minimum grade PO',
    });
    expect(result.after).toMatchObject({ caseManagerCode: 'cm-new', caseManagerGrade: 'PSO' });
  });

  it.each([
    ['HIGH', 'PQiP', 'required'],
    ['HIGH', 'PSO', 'required'],
    ['HIGH', 'NQO', 'required'],
    ['HIGH', 'PO', 'none'],
    ['HIGH', 'SPO', 'none'],
    ['VERY_HIGH', 'NQO', 'required'],
    ['VERY_HIGH', 'PO', 'none'],
    ['MEDIUM', 'PQiP', 'none'],
    ['LOW', 'PQiP', 'none'],
  ] as const)('adult %s allocated to %s: %s', (rosh, grade, outcome) => {
    expect(pick(evaluate(state({ service: 'adult', rosh }), allocate(grade), policy))).toEqual({
      outcome,
      rule: 'allocation',
    });
  });

  it('a case first seen on allocation has no level to check', () => {
    expect(pick(evaluate(undefined, allocate('PQiP'), policy))).toEqual({
      outcome: 'none',
      rule: 'allocation',
    });
  });

  it('a youth case counts its higher level; MEDIUM has no minimum by default', () => {
    const youth = (rosh: Level, vulnerability: Level) => state({ service: 'youth', rosh, vulnerability });
    const event = caseEvent('youth', 'case.allocated', { caseManager: 'cm-new', grade: 'PSO' });
    expect(evaluate(youth('LOW', 'HIGH'), event, policy).outcome).toBe('required');
    expect(evaluate(youth('MEDIUM', 'MEDIUM'), event, policy).outcome).toBe('none');
  });

  it('a higher level never needs less than a lower one', () => {
    const strict = policyWith({ '{ HIGH: PO, VERY_HIGH: PO }': '{ HIGH: SPO }' });
    expect(evaluate(state({ service: 'adult', rosh: 'VERY_HIGH' }), allocate('PO'), strict).outcome).toBe(
      'required',
    );
  });

  it('a new case manager’s grade is not assumed from the last one', () => {
    const before = state({
      service: 'adult',
      rosh: 'HIGH',
      caseManagerCode: 'cm-ali',
      caseManagerGrade: 'PO',
    });
    const moved = evaluate(
      before,
      caseEvent('adult', 'police.callout', { domesticAbuse: false }, { caseManager: 'cm-bo' }),
      policy,
    );
    expect(moved.after).toMatchObject({ caseManagerCode: 'cm-bo', caseManagerGrade: null });
    const same = evaluate(before, caseEvent('adult', 'police.callout', { domesticAbuse: false }), policy);
    expect(same.after).toMatchObject({ caseManagerCode: 'cm-ali', caseManagerGrade: 'PO' });
  });
});

describe('forums', () => {
  it.each(['mappa', 'risk_management', 'mash', 'other'] as const)(
    'a %s forum is recorded with outcome none: no substitute for the manager’s oversight',
    (forum) => {
      const before = state({ service: 'adult', rosh: 'VERY_HIGH' });
      const result = evaluate(
        before,
        caseEvent('adult', 'forum.held', { forum, outcome: 'Level 2 agreed' }),
        policy,
      );
      expect(result).toMatchObject({ outcome: 'none', rule: 'forum.held', category: 'forum' });
      expect(result.reason).toMatch(/no substitute for the manager's oversight$/);
      expect(result.reason).not.toMatch(/Level 2/);
      expect(result.after).toEqual(before);
    },
  );
});
