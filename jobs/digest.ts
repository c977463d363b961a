import { type Job, UnrecoverableError, Worker } from 'bullmq';
import type { App } from '../src/app.ts';
import { systemActor } from '../src/context.ts';
import { type DigestSent, sendDigest, syncDigestSchedulers } from '../src/digests/index.ts';
import { isAppError } from '../src/errors.ts';
import type { ProcessorFactory } from './processor.ts';
import { type DigestPayload, digestPayload, queueNames } from './queues.ts';

/** Digests are a few queries each; a handful at once keeps 08:30 for hundreds of teams short. */
const concurrency = 4;

/**
 * The digest queue: each team's job scheduler adds one job at the team's digest time. Every job is
 * one team, so a team that fails (no lead, lead not reachable) fails alone and the other teams'
 * digests go out as usual.
 */
export const startDigestWorkers: ProcessorFactory = (app, connection) => [
  new Worker<DigestPayload>(queueNames.digest, (job) => runDigestJob(app, job), {
    connection,
    prefix: app.config.redisPrefix,
    concurrency,
  }),
];

/** Sends one team's digest for one scheduled run; a retry of the same run does not send twice. */
export async function runDigestJob(app: App, job: Job<DigestPayload>): Promise<DigestSent> {
  const parsed = digestPayload.safeParse(job.data);
  if (!parsed.success) throw new UnrecoverableError('malformed digest payload');
  const { teamCode } = parsed.data;
  try {
    const sent = await sendDigest(app.deps, systemActor, teamCode, { dedupeKey: `digest:${job.id}` });
    // Team code and counts only: no CRNs or names in logs.
    app.logger.info({ team: teamCode, counts: sent.counts, duplicate: sent.duplicate }, 'digest sent');
    return sent;
  } catch (error) {
    if (isAppError(error) && (error.code === 'not_found' || error.code === 'conflict')) {
      app.logger.warn({ team: teamCode, code: error.code }, 'digest not sent');
      // A team that is gone or has no lead needs no scheduler; another try would fail the same way.
      await syncDigestSchedulers(app.deps.db, app.queues, [teamCode]).catch(() => {});
      throw new UnrecoverableError(error.message);
    }
    throw error;
  }
}
