import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runCommand } from '../../commands/index.ts';
import { startWorkers } from '../../jobs/workers.ts';
import { renderReply } from '../adapters/console/index.ts';
import { createApp } from '../app.ts';
import { parseCaseEventRequest } from '../cases/index.ts';
import type { ReplyView } from '../chat/views.ts';
import { loadConfig } from '../config.ts';
import type { Actor } from '../context.ts';
import { sendDigest } from '../digests/index.ts';
import { loadDirectory } from '../directory/index.ts';
import { caseRecordMarkdown } from '../export/index.ts';
import { createLogger } from '../logger.ts';
import { liveRequestForCrn } from '../oversight/index.ts';
import { parsePolicy } from '../policy/index.ts';
import { connectRedis, deleteKeysWithPrefix, pingRedis } from '../redis.ts';
import { localDate } from '../time.ts';
import { morningEvents } from './events.ts';
import { sentAbout, settled } from './wait.ts';

const here = dirname(fileURLToPath(import.meta.url));

export type DemoOptions = { redisUrl: string; write: (text: string) => void };

/**
 * A guided tour of the whole loop on one machine: case events → notices → acknowledgement →
 * the manager's record → a reminder → done → confirmed → the digest. It uses a fresh embedded
 * database and its own Redis prefix, and removes both at the end.
 */
export async function runDemo(options: DemoOptions): Promise<void> {
  const { write } = options;
  const dataDir = mkdtempSync(join(tmpdir(), 'oversight-demo-'));
  const prefix = `{oversight-demo-${process.pid}}`;
  const config = loadConfig({
    REDIS_URL: options.redisUrl,
    REDIS_PREFIX: prefix,
    OVERSIGHT_DATA_DIR: dataDir,
    LOG_LEVEL: 'silent',
  });
  const policy = parsePolicy('demo policy', readFileSync(resolve(here, 'policy.yaml'), 'utf8'));
  const narrate = (step: string, text: string) => write(`\n━━ ${step} ━━ ${text}\n`);
  const say = (reply: ReplyView) => write(`${renderReply(reply)}\n`);

  narrate(
    'Setting up',
    `an embedded database in ${dataDir}, Redis at ${options.redisUrl} (prefix ${prefix})`,
  );
  const app = await createApp({
    config,
    roles: { web: false, worker: true },
    policy,
    logger: createLogger('silent'),
    console: true,
    consoleWrite: write,
  });
  try {
    await pingRedis(app.redis, config.redisUrl, 3000);
    await app.storage.migrate();
    const db = app.storage.db;
    const directory = readFileSync(resolve(here, 'directory.yaml'), 'utf8');
    const loaded = await loadDirectory(
      { db, actor: { staffCode: null, surface: 'cli' }, now: () => new Date() },
      { name: 'demo directory', text: directory },
    );
    write(
      `Directory: ${loaded.teams.created} teams (North YOT, East Probation), ${loaded.staff.created} staff. ` +
        `Policy ${policy.version}: the default rules, with timings in seconds.\n`,
    );
    await startWorkers(app);
    const as = (staffCode: string): Actor => ({ staffCode, surface: 'console' });

    narrate('1. A morning of case events', 'the assessment system and the police feed report five events');
    const batch = parseCaseEventRequest(morningEvents(localDate(new Date(), 'Europe/London')));
    const results = await app.services.ingestCaseEvents({ staffCode: null, surface: 'api' }, batch);
    batch.events.forEach((event, i) => {
      const r = results[i]!;
      write(`  ${event.case.crn} ${event.type.padEnd(14)} → ${r.outcome.padEnd(8)} ${r.reason}\n`);
    });
    write('Two need oversight, so two notices go to the managers’ channels; X200002 joins the watch list.\n');
    await settled(db);

    narrate('2. A referral', 'Ali, the case manager, refers X100002 after a home visit');
    write('ali> /oversight refer X100002 concerns after home visit\n');
    say(
      await runCommand(
        { services: app.services, actor: as('cm-ali') },
        'refer X100002 concerns after home visit',
      ),
    );
    await settled(db);

    narrate(
      '3. Nobody has acknowledged X200001',
      'after acknowledgeWithin (3 s here, 1 day by default) the notice’s thread is reminded',
    );
    const adult = await liveRequestForCrn(db, 'X200001');
    await sentAbout(db, { requestId: adult!.id, kinds: ['thread.reply'], messageKind: 'reminder' });

    narrate(
      '4. Acknowledge',
      'Sam, the YOT manager, presses Acknowledge on X100001; Ali (a case manager) may not',
    );
    const youth = await liveRequestForCrn(db, 'X100001');
    await app.services
      .acknowledge(as('cm-ali'), { requestId: youth!.id })
      .catch((error: Error) => say({ ok: false, text: `Ali tried: ${error.message}` }));
    await app.services.acknowledge(as('mgr-sam'), { requestId: youth!.id });
    say({ ok: true, text: 'Sam acknowledged X100001.' });
    await settled(db);

    narrate(
      '5. Record oversight',
      'Sam records the four assurances, the rationale and a remedial action for Ali',
    );
    const yesterday = localDate(new Date(Date.now() - 86_400_000), 'Europe/London');
    const recorded = await app.services.record(as('mgr-sam'), {
      requestId: youth!.id,
      assurances: {
        victimsProtected: { rating: 'insufficient', note: 'Safety plan predates the new risk' },
        assessmentAndPlanning: { rating: 'insufficient', note: 'Plan not revised after reassessment' },
        timelyAndResponsive: { rating: 'sufficient', note: '' },
        escalation: { rating: 'not_applicable', note: '' },
      },
      deficits: 'Risk management plan not updated after the rise to MEDIUM.',
      rationale: 'Plan must reflect the new risk before the next contact; case discussion held with Ali.',
      evidence: ['case_discussion'],
      actions: [{ description: 'Revise the risk management plan', owner: 'cm-ali', due: yesterday }],
    });
    const ref = recorded.actions[0]!.ref;
    say({
      ok: true,
      text: `Oversight recorded for X100001; action ${ref} for Ali, due ${yesterday} (a past date: overdue at once).`,
    });
    await settled(db);

    narrate(
      '6. A reminder',
      `${ref} is overdue, so Ali is reminded by direct message until a manager confirms it`,
    );
    await sentAbout(db, { actionId: recorded.actions[0]!.id, kinds: ['direct'], messageKind: 'reminder' });

    narrate('7. Done, with evidence', 'Ali marks the action done; the managers are asked to confirm');
    write(`ali> /oversight done ${ref} plan revised and shared with the YOT police officer\n`);
    say(
      await runCommand(
        { services: app.services, actor: as('cm-ali') },
        `done ${ref} plan revised and shared with the YOT police officer`,
      ),
    );
    await settled(db);

    narrate('8. Confirm', 'asking is not enough: Sam checks the plan and confirms, which closes the notice');
    write(`sam> /oversight confirm ${ref}\n`);
    say(await runCommand({ services: app.services, actor: as('mgr-sam') }, `confirm ${ref}`));
    await settled(db);

    narrate(
      '9. The daily digest',
      'each team lead gets what is overdue, unacknowledged, awaiting confirmation or on watch',
    );
    for (const team of ['YOT-N', 'PDU-E']) {
      await sendDigest(app.deps, { staffCode: null, surface: 'system' }, team);
    }
    await settled(db);

    narrate(
      '10. The record',
      'the case’s oversight record, as `oversight export X100001 --format md` prints it',
    );
    write(`${caseRecordMarkdown(await app.services.caseRecord('X100001'))}\n`);

    narrate(
      'Done',
      'that is the loop. Run `npm start` to try it yourself at the console prompt (`as mgr-sam`, then `help`).',
    );
  } finally {
    await app.close();
    await dropPrefix(options.redisUrl, prefix);
    rmSync(dataDir, { recursive: true, force: true });
  }
}

async function dropPrefix(url: string, prefix: string): Promise<void> {
  const redis = connectRedis(url, 'producer');
  try {
    await deleteKeysWithPrefix(redis, prefix);
  } catch {
    // Best effort: the keys are harmless and under a prefix of their own.
  } finally {
    redis.disconnect();
  }
}
