import type { Actor } from '../../src/context.ts';
import type { TestApp } from './app.ts';
import { daysFromToday } from './dates.ts';
import { makeCase, makeStaff, makeTeam } from './factories.ts';

const as = (staffCode: string): Actor => ({ staffCode, surface: 'msteams' });

/**
 * A case with a full oversight record for the case record page: YOT-N's X500001 referred, then
 * recorded with a remedial action (whose note carries markup, to prove it is shown as text);
 * and a case of another team, YOT-S's X500002.
 */
export async function seedCaseRecord(t: TestApp): Promise<void> {
  const db = t.db.storage.db;
  await makeTeam(db, { leadCode: 'tl-kim' });
  await makeStaff(db, 'mgr-sam', 'manager', { name: 'Sam Reed', msteamsAadObjectId: 'aad-sam' });
  await makeStaff(db, 'cm-ali', 'case_manager', { name: 'Ali Shah' });
  await makeStaff(db, 'tl-kim', 'team_lead', { name: 'Kim Lowe' });
  await makeTeam(db, { code: 'YOT-S', name: 'South YOT', slackChannel: null });
  await makeStaff(db, 'mgr-other', 'manager', {
    name: 'Pat Other',
    teamCode: 'YOT-S',
    msteamsAadObjectId: 'aad-other',
  });
  await makeCase(db, 'X500001');
  await makeCase(db, 'X500002', { teamCode: 'YOT-S', caseManagerCode: null });
  const { requestId } = await t.app.services.refer(as('cm-ali'), {
    crn: 'X500001',
    reason: 'Disclosure at home visit',
  });
  await t.app.services.record(as('mgr-sam'), {
    requestId,
    assurances: {
      victimsProtected: {
        rating: 'insufficient',
        note: 'Plan <b>out of date</b> [click](https://evil.example)',
      },
      assessmentAndPlanning: { rating: 'sufficient', note: '' },
      timelyAndResponsive: { rating: 'sufficient', note: '' },
      escalation: { rating: 'not_applicable', note: '' },
    },
    rationale: 'Safety plan must be revised before the next contact',
    evidence: ['case_discussion'],
    actions: [{ description: 'Revise the safety plan', owner: 'cm-ali', due: daysFromToday(7) }],
  });
}
