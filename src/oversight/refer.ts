import { crnPattern, normaliseCrn } from '../cases/crn.ts';
import type { Actor } from '../context.ts';
import { invalid, notFound } from '../errors.ts';
import { actingStaff, notInDirectory, refuse } from '../permissions.ts';
import { isStorableText, unstorableTextMessage } from '../storable-text.ts';
import { type Deps, transact } from '../unit-of-work.ts';
import { caseByCrn } from './load.ts';
import { type RaiseResult, raiseRequest } from './raise.ts';

export { crnPattern, normaliseCrn };

/**
 * Staff refer a case to their manager (the paper: staff must know their responsibility to raise
 * cases). The referral always requires oversight; the reason stays in the record, not the channel.
 */
export async function refer(
  deps: Deps,
  actor: Actor,
  input: { crn: string; reason?: string },
): Promise<RaiseResult & { crn: string }> {
  const crn = normaliseCrn(input.crn);
  if (!crnPattern.test(crn)) {
    throw invalid(`${crn || 'That'} is not a CRN: a CRN is a letter and six digits, e.g. X123456.`, [
      { path: 'crn', message: 'must be a letter and six digits' },
    ]);
  }
  const reason = (input.reason ?? '').trim();
  if (!reason) {
    throw invalid(
      'Say why you are referring the case, e.g. `refer X123456 new DA call-out at home address`.',
      [{ path: 'reason', message: 'Reason is required' }],
    );
  }
  if (!isStorableText(reason)) {
    throw invalid(`Reason ${unstorableTextMessage}`, [{ path: 'reason', message: unstorableTextMessage }]);
  }
  const person = await actingStaff(deps.db, actor);
  if (!person)
    throw await refuse(
      deps.db,
      actor,
      { action: 'request.refer', subjectType: 'case', subjectId: crn, crn },
      notInDirectory,
    );
  const caseRow = await caseByCrn(deps.db, crn);
  if (!caseRow) {
    throw notFound(
      `I don't know case ${crn}. Cases come from the case management system's events; check the CRN, or ask an admin if the case is new.`,
    );
  }
  if (person.teamCode !== caseRow.teamCode || person.role === 'admin') {
    await refuse(
      deps.db,
      actor,
      { action: 'request.refer', subjectType: 'case', subjectId: crn, crn },
      `Sorry, ${crn} belongs to team ${caseRow.teamCode}; only its staff can refer it. Ask that team's manager.`,
    );
  }
  const result = await transact(deps, actor, (ctx) =>
    raiseRequest(ctx, crn, {
      kind: 'referral',
      type: 'referral',
      category: 'referral',
      rule: 'referral',
      reason: `Referred by ${person.name}: a referral by staff always requires oversight`,
      policyVersion: ctx.policy.version,
      by: person.code,
      referralReason: reason.slice(0, 5000),
    }),
  );
  return { ...result, crn };
}
