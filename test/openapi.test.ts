import { compileErrors, validate } from '@readme/openapi-parser';
import { beforeAll, describe, expect, it } from 'vitest';
import { caseEventSchema, eventTypes } from '../src/cases/index.ts';
import { postEvents, secret } from './ingest-support.ts';
import { startTestApp, type TestApp } from './support/app.ts';
import { makeTeam } from './support/factories.ts';

type Doc = {
  openapi: string;
  paths: Record<
    string,
    { post: { requestBody: { content: Record<string, { examples: Record<string, { value: unknown }> }> } } }
  >;
  components: { schemas: Record<string, { oneOf?: Array<{ title: string; examples: unknown[] }> }> };
};

describe('GET /api/v1/openapi.json', () => {
  let t: TestApp;
  let doc: Doc;
  beforeAll(async () => {
    t = await startTestApp({ env: { EVENTS_SIGNING_SECRET: secret } });
    const res = await fetch(`${t.url}/api/v1/openapi.json`);
    expect(res.status).toBe(200);
    doc = (await res.json()) as Doc;
  });

  it('is an OpenAPI 3.1 document of the case-event API, with every event type', () => {
    expect(doc.openapi).toBe('3.1.0');
    expect(Object.keys(doc.paths)).toEqual(['/api/v1/case-events']);
    expect(Object.keys(doc.components.schemas).sort()).toEqual(
      ['CaseEvent', 'CaseEventBatch', 'CaseEventResponse', 'CaseEventResult', 'Error'].sort(),
    );
    expect(doc.components.schemas.CaseEvent!.oneOf!.map((s) => s.title)).toEqual(eventTypes);
    expect(JSON.stringify(doc)).not.toMatch(/"\$schema"|"\$id"|__shared/);
  });

  it('passes the OpenAPI 3.1 validator, with no warnings', async () => {
    // validate() dereferences the document in place: give it a copy. Nothing is fetched.
    const result = await validate(structuredClone(doc) as Parameters<typeof validate>[0], {
      resolve: { external: false },
    });
    expect(result.valid ? '' : compileErrors(result)).toBe('');
    expect(result.warnings).toEqual([]);
  });

  it('every example in it is valid, and the service accepts the request examples', async () => {
    for (const variant of doc.components.schemas.CaseEvent!.oneOf!) {
      for (const example of variant.examples) expect(caseEventSchema.safeParse(example).success).toBe(true);
    }
    await makeTeam(t.db.storage.db);
    await makeTeam(t.db.storage.db, { code: 'PDU-E', name: 'East PDU', service: 'adult' });
    const examples = doc.paths['/api/v1/case-events']!.post.requestBody.content['application/json']!.examples;
    const batch = await postEvents(t.url, examples.batch!.value);
    expect(batch.status).toBe(202);
    expect(batch.body.results!.map((r) => r.outcome)).toEqual(['required', 'required']);
    const single = await postEvents(t.url, examples.single!.value);
    expect(single.body.results![0]!.status).toBe('duplicate');
  });
});
