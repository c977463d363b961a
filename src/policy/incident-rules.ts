import type { CaseEvent } from '../cases/schemas.ts';
import { normaliseCode } from './case-state.ts';
import type { Decision, RuleInput } from './decision.ts';
import { codeLabel, serviceLabel, withArticle } from './wording.ts';

type EventOf<T extends CaseEvent['type']> = Extract<CaseEvent, { type: T }>;

/**
 * Events from other information systems (police, courts, screening, registrations). The paper
 * expects these systems to identify cases needing oversight, so a missing referral never excuses
 * a gap; anything short of the policy's list still goes on the watch list where the SPEC says so.
 */

export function policeOffenceRule({
  next,
  event,
  policy,
}: RuleInput<EventOf<'police.arrest' | 'police.charge'>>): Decision {
  const who = serviceLabel(next.service);
  const what = event.type === 'police.arrest' ? 'police arrest' : 'police charge';
  const category = normaliseCode(event.data.offenceCategory);
  if (policy.police.requiredOffenceCategories.map(normaliseCode).includes(category)) {
    return {
      outcome: 'required',
      rule: 'police.required_offence',
      reason: `${who}: ${what} for ${withArticle(codeLabel(category))} offence`,
      category: 'police',
    };
  }
  // The category is not echoed: outside the policy's list it is whatever the sender wrote.
  return {
    outcome: 'watch',
    rule: 'police.other',
    reason: `${who}: ${what} for an offence outside the policy's required categories`,
    category: 'police',
  };
}

export function policeCalloutRule({ next, event }: RuleInput<EventOf<'police.callout'>>): Decision {
  const who = serviceLabel(next.service);
  return event.data.domesticAbuse
    ? {
        outcome: 'required',
        rule: 'police.domestic_abuse_callout',
        reason: `${who}: domestic abuse call-out`,
        category: 'police',
      }
    : {
        outcome: 'watch',
        rule: 'police.other',
        reason: `${who}: police call-out not flagged domestic abuse`,
        category: 'police',
      };
}

export function courtRule({ next, event }: RuleInput<EventOf<'court.appearance'>>): Decision {
  const who = serviceLabel(next.service);
  return event.data.seriousOffence
    ? {
        outcome: 'required',
        rule: 'court.serious_offence',
        reason: `${who}: further court appearance for a serious offence`,
        category: 'court',
      }
    : {
        outcome: 'watch',
        rule: 'court.other',
        reason: `${who}: further court appearance, not for a serious offence`,
        category: 'court',
      };
}

export function screeningRule({ next, event }: RuleInput<EventOf<'screening.completed'>>): Decision {
  const who = serviceLabel(next.service);
  const n = event.data.indicators.length;
  // Only the count is shown: the indicators themselves may be free text.
  return n > 0
    ? {
        outcome: 'required',
        rule: 'screening.raised_risk',
        reason: `${who}: ${n} raised-risk indicator${n === 1 ? '' : 's'} at initial screening`,
        category: 'screening',
      }
    : {
        outcome: 'none',
        rule: 'screening.no_indicators',
        reason: `${who}: no raised-risk indicators at initial screening`,
        category: 'screening',
      };
}

export function registrationRule({
  next,
  event,
  policy,
}: RuleInput<EventOf<'registration.added'>>): Decision {
  const who = serviceLabel(next.service);
  const type = normaliseCode(event.data.type);
  if (policy.registrations.required.map(normaliseCode).includes(type)) {
    return {
      outcome: 'required',
      rule: 'registration.required_type',
      reason: `${who}: ${codeLabel(type)} registration added`,
      category: 'registration',
    };
  }
  return {
    outcome: 'none',
    rule: 'registration.other',
    reason: `${who}: a registration outside the policy's required types was added`,
    category: 'registration',
  };
}

const forumLabels = {
  mappa: 'MAPPA meeting',
  risk_management: 'risk management meeting',
  mash: 'MASH meeting',
  other: 'multi-agency forum',
} as const;

/**
 * A forum is recorded on the case's timeline and decides nothing: a risk management forum is no
 * substitute for the manager's oversight, so it never acknowledges, records or closes a request.
 */
export function forumRule({ next, event }: RuleInput<EventOf<'forum.held'>>): Decision {
  return {
    outcome: 'none',
    rule: 'forum.held',
    reason: `${serviceLabel(next.service)}: ${forumLabels[event.data.forum]} held; a forum is no substitute for the manager's oversight`,
    category: 'forum',
  };
}
