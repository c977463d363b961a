import { beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../src/context.ts';
import { type CaseRecord, caseRecordMarkdown } from '../src/export/index.ts';
import { md } from '../src/export/markdown.ts';
import { startTestApp, type TestApp } from './support/app.ts';
import { runCli } from './support/cli.ts';
import { daysFromToday } from './support/dates.ts';
import { makeCase, makeStaff, makeTeam } from './support/factories.ts';

// Due dates ahead of today in the team's timezone, so the actions are open, not overdue.
const due1 = daysFromToday(7);
const due2 = daysFromToday(8);

const token = 'export-test-token-0123456789abcdef0123456789';
const as = (staffCode: string): Actor => ({ staffCode, surface: 'slack' });

describe("the case's oversight record (export)", () => {
  let t: TestApp;
  let refs: string[];
  beforeAll(async () => {
    t = await startTestApp({ env: { RECORD_API_TOKEN: token } });
    const db = t.db.storage.db;
    await makeTeam(db);
    await makeStaff(db, 'mgr-sam', 'manager');
    await makeStaff(db, 'cm-ali', 'case_manager');
    await makeCase(db, 'X400001');
    const services = t.app.services;
    const { requestId } = await services.refer(as('cm-ali'), {
      crn: 'X400001',
      reason: 'Disclosure # at <b>home</b>',
    });
    const recorded = await services.record(as('mgr-sam'), {
      requestId,
      assurances: {
        victimsProtected: { rating: 'insufficient', note: 'Plan out of date\n- not shared' },
        assessmentAndPlanning: { rating: 'sufficient', note: '' },
        timelyAndResponsive: { rating: 'sufficient', note: '' },
        escalation: { rating: 'not_applicable', note: '' },
      },
      deficits: 'Safety plan *not* revised',
      rationale: 'Revise the plan before the next contact',
      variance: { procedure: 'Home visit within 10 days', reason: 'Family away' },
      evidence: ['case_discussion', 'assessment_revised'],
      actions: [
        { description: 'Revise the safety plan', owner: 'cm-ali', due: due1 },
        { description: 'Tell the police', owner: 'cm-ali', due: due2 },
      ],
    });
    refs = recorded.actions.map((a) => a.ref);
    await services.done(as('cm-ali'), { ref: refs[0]!, evidence: 'Plan revised and signed' });
    await services.confirm(as('mgr-sam'), { ref: refs[0]! });
    await services.cancel(as('mgr-sam'), { ref: refs[1]!, reason: 'Police already told by MASH' });
  });

  it('GET /api/v1/cases/{crn}/record refuses anonymous callers and wrong tokens', async () => {
    const anonymous = await fetch(`${t.url}/api/v1/cases/X400001/record`);
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get('www-authenticate')).toMatch(/^Bearer/);
    expect(await anonymous.text()).not.toContain('X400001');
    const wrong = await fetch(`${t.url}/api/v1/cases/X400001/record`, {
      headers: { authorization: `Bearer ${token}x` },
    });
    expect(wrong.status).toBe(401);
  });

  it('with the token it returns the record in the SPEC shape, as JSON or Markdown', async () => {
    const res = await fetch(`${t.url}/api/v1/cases/x400001/record`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    const record = (await res.json()) as CaseRecord;
    expect(record).toMatchObject({ crn: 'X400001', service: 'youth', team: 'YOT-N' });
    const request = record.requests[0]!;
    expect(request).toMatchObject({
      status: 'closed',
      acknowledgedBy: 'mgr-sam',
      triggers: [{ kind: 'referral', by: 'cm-ali', type: 'referral' }],
      records: [
        {
          by: 'mgr-sam',
          supersedes: null,
          rationale: 'Revise the plan before the next contact',
          variance: { procedure: 'Home visit within 10 days', reason: 'Family away' },
          evidence: ['case_discussion', 'assessment_revised'],
        },
      ],
      actions: [
        {
          ref: refs[0],
          status: 'confirmed',
          doneEvidence: 'Plan revised and signed',
          confirmedBy: 'mgr-sam',
        },
        { ref: refs[1], status: 'cancelled', reason: 'Police already told by MASH' },
      ],
    });
    expect(record.audit.map((a) => a.action)).toEqual(
      expect.arrayContaining([
        'request.opened',
        'record.created',
        'action.confirmed',
        'action.cancelled',
        'request.closed',
      ]),
    );

    const markdown = await fetch(`${t.url}/api/v1/cases/X400001/record?format=md`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(markdown.headers.get('content-type')).toMatch(/^text\/markdown/);
    expect(await markdown.text()).toBe(caseRecordMarkdown(record));
  });

  it('an unknown case is 404, an unknown format 400', async () => {
    const headers = { authorization: `Bearer ${token}` };
    expect((await fetch(`${t.url}/api/v1/cases/X999999/record`, { headers })).status).toBe(404);
    expect((await fetch(`${t.url}/api/v1/cases/X400001/record?format=pdf`, { headers })).status).toBe(400);
  });

  it('the Markdown export reads as a record, and free text cannot become markup', async () => {
    const record = await t.app.services.caseRecord('X400001');
    const text = caseRecordMarkdown(record);
    expect(text).toContain('# Oversight record: X400001');
    expect(text).toContain('- Victims protected: insufficient: Plan out of date\n    \\- not shared');
    expect(text).toContain('- Deficits identified: Safety plan \\*not\\* revised');
    expect(text).toContain('- Variance from procedure: Home visit within 10 days');
    expect(text).toContain('- Reason for variance: Family away');
    expect(text).toContain('- Evidence of oversight: case discussion, assessment revised');
    expect(text).toContain(`**${refs[0]}** Revise the safety plan · owner cm-ali · due ${due1} · confirmed`);
    expect(text).toContain('  - Reason for referral: Disclosure \\# at \\<b\\>home\\</b\\>');
    expect(text).toContain('## Audit trail');
    expect(md('[x](javascript:y) <img>')).toBe('\\[x\\]\\(javascript:y\\) \\<img\\>');
  });

  it('`oversight export CRN --format json|md` prints the same record', async () => {
    const env = { DATABASE_URL: t.db.url };
    const [json, markdown, bad, unknown] = await Promise.all([
      runCli(['export', 'X400001', '--format', 'json'], env),
      runCli(['export', 'X400001', '--format', 'md'], env),
      runCli(['export', 'X400001', '--format', 'pdf'], env),
      runCli(['export', 'X999999'], env),
    ]);
    expect(json.code).toBe(0);
    const printed = JSON.parse(json.stdout) as CaseRecord;
    expect(printed).toEqual(await t.app.services.caseRecord('X400001'));
    expect(markdown.code).toBe(0);
    expect(markdown.stdout).toBe(caseRecordMarkdown(printed));
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--format json or --format md/);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/case is unknown/);
  });
});

describe('the record API without a configured token', () => {
  it('refuses everyone', async () => {
    const t = await startTestApp({ listen: false });
    const res = await t.app.server.inject({
      method: 'GET',
      url: '/api/v1/cases/X400001/record',
      headers: { authorization: 'Bearer anything' },
    });
    expect(res.statusCode).toBe(401);
    expect(res.json()).toMatchObject({ message: expect.stringMatching(/RECORD_API_TOKEN/) });
  });
});
