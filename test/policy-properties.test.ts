import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { grades, type Level, levels, services } from '../db/schema/index.ts';
import { type CaseEvent, eventTypes, forums } from '../src/cases/index.ts';
import {
  type CaseState,
  evaluate,
  outcomeRank,
  type Policy,
  requiredWhateverTheCase,
} from '../src/policy/index.ts';
import { policy as builtIn, policyWith, state } from './policy-support.ts';
import { isoDaysAfter } from './support/dates.ts';

/** When the generated events occurred: a day before the test ran. */
const occurredAt = isoDaysAfter(-1);

const level = fc.constantFrom(...levels);
const grade = fc.constantFrom(...grades);
const service = fc.constantFrom(...services);
const maybeLevel = fc.option(level, { nil: null });

/** Policies with any thresholds and minimum grades, as an admin might write them. */
const policy: fc.Arbitrary<Policy> = fc
  .record({ yr: level, yv: level, ar: level, high: grade, veryHigh: grade })
  .map(({ yr, yv, ar, high, veryHigh }) =>
    policyWith({
      'youth: { rosh: MEDIUM, vulnerability: MEDIUM }': `youth: { rosh: ${yr}, vulnerability: ${yv} }`,
      'adult: { rosh: HIGH }': `adult: { rosh: ${ar} }`,
      '{ HIGH: PO, VERY_HIGH: PO }': `{ HIGH: ${high}, VERY_HIGH: ${veryHigh} }`,
    }),
  );

const before: fc.Arbitrary<CaseState | undefined> = fc.option(
  fc
    .record({
      service,
      rosh: maybeLevel,
      vulnerability: maybeLevel,
      caseManagerGrade: fc.option(grade, { nil: null }),
      flags: fc.array(fc.constantFrom('mappa', 'other', 'domestic_abuse'), { maxLength: 3 }),
    })
    .map((s) => state(s)),
  { nil: undefined },
);

const dataFor: { [T in CaseEvent['type']]: fc.Arbitrary<Extract<CaseEvent, { type: T }>['data']> } = {
  'risk.assessed': fc
    .record({ rosh: level, vulnerability: fc.option(level, { nil: undefined }) })
    .map((d) => (d.vulnerability ? d : { rosh: d.rosh })),
  'police.arrest': fc.record({ offenceCategory: fc.constantFrom('violence', 'theft', 'Sexual', 'fraud') }),
  'police.charge': fc.record({ offenceCategory: fc.constantFrom('weapons', 'criminal_damage') }),
  'police.callout': fc.record({ domesticAbuse: fc.boolean() }),
  'court.appearance': fc.record({ seriousOffence: fc.boolean() }),
  'screening.completed': fc.record({ indicators: fc.array(fc.constantFrom('a', 'b'), { maxLength: 3 }) }),
  'registration.added': fc.record({ type: fc.constantFrom('mappa', 'substance_misuse', 'child_protection') }),
  'case.allocated': fc.record({ caseManager: fc.constantFrom('cm-ali', 'cm-bo'), grade }),
  'forum.held': fc.record({ forum: fc.constantFrom(...forums), outcome: fc.constant('agreed') }),
};

const event: fc.Arbitrary<CaseEvent> = fc
  .record({ type: fc.constantFrom(...eventTypes), service, manager: fc.constantFrom('cm-ali', 'cm-bo') })
  .chain(({ type, service, manager }) =>
    (dataFor[type] as fc.Arbitrary<CaseEvent['data']>).map(
      (data) =>
        ({
          id: 'ev-1',
          source: 'prop',
          type,
          occurredAt,
          case: { crn: 'X123456', service, team: 'T', caseManager: manager },
          data,
        }) as CaseEvent,
    ),
  );

/**
 * Free text a sender might put anywhere the schema leaves open: any Unicode, markup, mentions.
 * Marked, so "never appears in the reason" cannot fail on a common word.
 */
const freeText = fc
  .oneof(
    fc.string({ unit: 'grapheme', maxLength: 200 }),
    fc.constantFrom(
      '<!channel> see <https://evil.example|link>',
      'Name: John Smith, victim Jane Doe',
      'HIGH',
    ),
  )
  .map((t) => `«${t}»`);

const rank = (l: Level) => levels.indexOf(l);

describe('policy properties', () => {
  it('raising an assessed level never lowers the outcome', () => {
    fc.assert(
      fc.property(policy, before, service, level, level, level, level, (p, b, s, r1, r2, v1, v2) => {
        const [lowR, highR] = rank(r1) <= rank(r2) ? [r1, r2] : [r2, r1];
        const [lowV, highV] = rank(v1) <= rank(v2) ? [v1, v2] : [v2, v1];
        const at = (rosh: Level, vulnerability: Level) =>
          evaluate(
            b && { ...b, service: s },
            {
              id: 'e',
              source: 's',
              type: 'risk.assessed',
              occurredAt,
              case: { crn: 'X1', service: s, team: 'T' },
              data: { rosh, vulnerability },
            },
            p,
          ).outcome;
        expect(outcomeRank(at(highR, highV))).toBeGreaterThanOrEqual(outcomeRank(at(lowR, lowV)));
      }),
    );
  });

  it('a case at a higher level never needs less oversight of an event', () => {
    fc.assert(
      fc.property(policy, event, service, level, level, (p, e, s, l1, l2) => {
        fc.pre(e.type !== 'risk.assessed');
        const [low, high] = rank(l1) <= rank(l2) ? [l1, l2] : [l2, l1];
        const withLevel = (l: Level) => state({ service: s, rosh: l, vulnerability: l });
        const ev = { ...e, case: { ...e.case, service: s } } as CaseEvent;
        expect(outcomeRank(evaluate(withLevel(high), ev, p).outcome)).toBeGreaterThanOrEqual(
          outcomeRank(evaluate(withLevel(low), ev, p).outcome),
        );
      }),
    );
  });

  it('is deterministic and leaves its inputs untouched', () => {
    fc.assert(
      fc.property(policy, before, event, (p, b, e) => {
        const inputs = structuredClone({ b, e });
        const first = evaluate(b, e, p);
        expect(evaluate(structuredClone(b), structuredClone(e), p)).toEqual(first);
        expect({ b, e }).toEqual(inputs);
      }),
    );
  });

  it('free text never changes the outcome, the reason or the case, and never appears in the reason', () => {
    fc.assert(
      fc.property(
        fc.constant(builtIn),
        before,
        event,
        fc.dictionary(fc.constantFrom('notes', 'details', 'description', 'officer'), freeText),
        freeText,
        (p, b, e, extra, text) => {
          const plain = evaluate(b, e, p);
          const data: Record<string, unknown> = { ...e.data, ...extra };
          if (e.type === 'forum.held') data.outcome = text;
          if (e.type === 'screening.completed') data.indicators = e.data.indicators.map(() => text);
          const noisy = evaluate(b, { ...e, data } as CaseEvent, p);
          expect(noisy).toEqual(plain);
          for (const t of [text, ...Object.values(extra)]) {
            expect(noisy.reason).not.toContain(t);
          }
        },
      ),
    );
  });

  it('an event required whatever the case is required for every case', () => {
    fc.assert(
      fc.property(policy, before, event, (p, b, e) => {
        if (requiredWhateverTheCase(e, p)) expect(evaluate(b, e, p).outcome).toBe('required');
      }),
    );
  });

  it('every outcome names a rule, a reason and the policy version', () => {
    fc.assert(
      fc.property(policy, before, event, (p, b, e) => {
        const result = evaluate(b, e, p);
        expect(result.rule).toMatch(/^[a-z]+(\.[a-z_]+)?$/);
        expect(result.reason).toMatch(/^(Youth|Adult) case: \S/);
        expect(result.policyVersion).toBe(p.version);
      }),
    );
  });
});
