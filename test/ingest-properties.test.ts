import { eq } from 'drizzle-orm';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { caseEvents } from '../db/schema/index.ts';
import { event, postEvents, secret } from './ingest-support.ts';
import { startTestApp, type TestApp } from './support/app.ts';
import { makeTeam } from './support/factories.ts';

describe('free text through the API', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ env: { EVENTS_SIGNING_SECRET: secret } });
    await makeTeam(t.db.storage.db);
  });

  // Any Unicode a sender might write (emoji, right-to-left, combining marks, markup), but no NUL
  // or unpaired surrogate, which Postgres cannot store and the API refuses with a 400.
  const text = fc.oneof(
    fc.string({ unit: 'grapheme', maxLength: 300 }),
    fc.string({ unit: 'binary', maxLength: 100 }).filter((s) => !s.includes('\u0000')),
    fc.constantFrom('<!channel> *bold* <https://x.example|y>', '  leading and trailing  ', '{"json": true}'),
  );

  it('is stored verbatim and never changes the outcome', async () => {
    let n = 0;
    await fc.assert(
      fc.asyncProperty(text, text, async (notes, forumOutcome) => {
        n++;
        const crn = `X6${String(n).padStart(5, '0')}`;
        const plain = event({ case: { crn }, data: { rosh: 'MEDIUM' } });
        // Another case (a CRN is a letter and six digits), with the same facts plus free text.
        const noisy = event({
          case: { crn: `X7${String(n).padStart(5, '0')}` },
          data: { rosh: 'MEDIUM', notes },
        });
        const forum = event({
          type: 'forum.held',
          case: { crn },
          data: { forum: 'mash', outcome: forumOutcome },
        });
        const res = await postEvents(t.url, { events: [plain, noisy, forum] });
        expect(res.status).toBe(202);
        const [a, b, c] = res.body.results!;
        expect([b!.outcome, b!.rule, b!.reason]).toEqual([a!.outcome, a!.rule, a!.reason]);
        expect(c).toMatchObject({ outcome: 'none', rule: 'forum.held' });

        const [stored] = await t.db.storage.db
          .select()
          .from(caseEvents)
          .where(eq(caseEvents.eventId, noisy.id as string));
        expect((stored!.envelope as { data: { notes: string } }).data.notes).toBe(notes);
        expect(stored!.envelope).toEqual(noisy);
        const [forumRow] = await t.db.storage.db
          .select()
          .from(caseEvents)
          .where(eq(caseEvents.eventId, forum.id as string));
        expect((forumRow!.envelope as { data: { outcome: string } }).data.outcome).toBe(forumOutcome);
      }),
      { numRuns: 40 },
    );
  });
});
