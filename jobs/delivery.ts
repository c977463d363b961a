import { DelayedError, type Job, UnrecoverableError, Worker } from 'bullmq';
import { and, eq, sql } from 'drizzle-orm';
import { deliveries } from '../db/schema/index.ts';
import type { App } from '../src/app.ts';
import { DeliveryError, type MessageRef } from '../src/chat/index.ts';
import { backoffDelay, exponential } from './backoff.ts';
import { ChannelPace } from './channel-pace.ts';
import {
  type DeliveryRow,
  earlierUpdateQueued,
  loadDelivery,
  noticePostOf,
  parseRef,
  recordSent,
  type Sent,
  sendDelivery,
} from './delivery-send.ts';
import type { ProcessorFactory } from './processor.ts';
import { type DeliveryPayload, deliveryPayload, queueNames } from './queues.ts';

/** What a delivery job carries besides the id: its booked slot and how often it has been put off. */
type JobData = DeliveryPayload & { slotAt?: number; waits?: number; rateLimited?: number };

/** About one message a second per channel (Slack's limit), with one back-to-back message allowed. */
export const pace = { intervalMs: 1000, burst: 1 };
/** Jobs sending at once per worker process: mostly waiting on the platform's HTTP answer; each query is short. */
const concurrency = 32;
/** Rate-limit answers are waited out without counting as failed attempts, up to this many times. */
const maxRateLimited = 20;
/** How often a job that waits on another re-checks: from a quarter second, doubling, up to a cap. */
const waitBackoff = exponential(250);
/** How long an update or thread reply waits for its notice to be posted before counting as failing. */
const maxWaitForPostMs = 60 * 60 * 1000;

type Env = { app: App; pace: ChannelPace };

/** The delivery queue's worker: sends each queued chat message through its platform's adapter. */
export const startDelivery: ProcessorFactory = (app, connection) => {
  const env: Env = { app, pace: new ChannelPace(connection, app.queues.prefix, pace) };
  const worker = new Worker<JobData>(queueNames.delivery, (job, token) => processDelivery(env, job, token), {
    connection,
    prefix: app.queues.prefix,
    // Pacing waits are delayed jobs, not held slots, so this bounds only jobs actually sending.
    concurrency,
    lockDuration: app.config.workerLockDurationMs,
    stalledInterval: app.config.workerStalledIntervalMs,
  });
  return [worker];
};

/**
 * One delivery: re-reads its row (a sent or failed one is done), waits for the notice it refers
 * to, books the channel's slot, sends, and records the outcome on the row. A permanent failure is
 * recorded and not retried; a transient one is retried with backoff and recorded as failed on
 * the last attempt, so no message is ever silently dropped.
 */
export async function processDelivery(env: Env, job: Job<JobData>, token?: string): Promise<string> {
  const { app } = env;
  const { deliveryId } = deliveryPayload.parse(job.data);
  const loaded = await loadDelivery(app.storage.db, deliveryId);
  if (loaded?.row.status !== 'queued') return 'done already';
  const { row, noticeRef } = loaded;
  const adapter = app.adapters[row.platform];
  if (!adapter) return fail(env, row, new DeliveryError(`no_${row.platform}_adapter`, true));

  // Posted before, but the outcome was not recorded (a crash between the two): never post twice.
  if (row.kind === 'notice.post' && noticeRef) return markSent(env, row, { ref: noticeRef, coalesced: [] });
  let ref: MessageRef | null = null;
  if (row.kind === 'notice.update' || row.kind === 'thread.reply') {
    ref = noticeRef ?? (await postedRef(env, job, token, row));
  }

  const channel =
    row.kind === 'direct' ? `${row.platform}:dm:${row.target}` : `${row.platform}:${row.target}`;
  // The console is a terminal, not a rate-limited service.
  const paced = row.platform !== 'console';
  const booked = job.data.slotAt ?? Date.now();
  if (paced && job.data.slotAt === undefined && row.kind === 'notice.update') {
    // Under a burst of changes to one notice, only the first queued update holds a slot; the others
    // wait to be shown by it, so they never delay the channel's other messages.
    if (await earlierUpdateQueued(app.storage.db, row)) {
      const waits = job.data.waits ?? 0;
      return later(job, token, backoffDelay(waitBackoff, waits + 1, 5_000), { waits: waits + 1 });
    }
  }
  if (paced && job.data.slotAt === undefined) {
    const wait = await env.pace.reserve(channel);
    if (wait > 0) return later(job, token, wait, { slotAt: Date.now() + wait });
  }
  // Claimed after rendering, right before the call, so a slow render cannot bunch messages up.
  const claim = async () => {
    const notYet = paced ? await env.pace.claim(channel) : 0;
    if (notYet > 0) await later(job, token, notYet, { slotAt: booked });
  };

  try {
    return await markSent(env, row, await sendDelivery(app, adapter, row, ref, claim));
  } catch (error) {
    if (error instanceof DelayedError) throw error;
    const failure = asDeliveryError(error);
    if (failure.permanent) return fail(env, row, failure);
    if (failure.retryAfterMs !== undefined) {
      await env.pace.block(channel, failure.retryAfterMs);
      const times = job.data.rateLimited ?? 0;
      if (times < maxRateLimited) {
        await noteAttempt(env, row, failure.message);
        app.metrics.deliveries.labels(row.platform, 'rate_limited').inc();
        return later(job, token, failure.retryAfterMs, { rateLimited: times + 1 });
      }
    }
    const lastAttempt = job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
    if (lastAttempt) return fail(env, row, failure, false);
    await noteAttempt(env, row, failure.message);
    // The retry books a new slot.
    await job.updateData({ ...job.data, slotAt: undefined });
    app.metrics.deliveries.labels(row.platform, 'retried').inc();
    throw failure;
  }
}

/**
 * Where the notice an update or thread reply refers to was posted. While its post is still queued
 * (paced, or retrying) the job waits for it rather than being lost; if the post failed, so does this.
 */
async function postedRef(
  env: Env,
  job: Job<JobData>,
  token: string | undefined,
  row: DeliveryRow,
): Promise<MessageRef> {
  const post = await noticePostOf(env.app.storage.db, row);
  if (!post) return fail(env, row, new DeliveryError('notice_never_queued', true));
  if (post.status === 'failed') return fail(env, row, new DeliveryError('notice_post_failed', true));
  if (post.status === 'queued') {
    if (Date.now() - row.createdAt.getTime() > maxWaitForPostMs) {
      throw new DeliveryError('notice_not_posted_yet', false);
    }
    const waits = job.data.waits ?? 0;
    return later(job, token, backoffDelay(waitBackoff, waits + 1, 10_000), { waits: waits + 1 });
  }
  // The console keeps no ref on the request; its post delivery has it.
  return parseRef(post.externalRef) ?? fail(env, row, new DeliveryError('notice_ref_missing', true));
}

function asDeliveryError(error: unknown): DeliveryError {
  if (error instanceof DeliveryError) return error;
  // Our own failures (database, rendering) are retried; their messages stay out of the row and
  // the log, because they may quote data.
  return new DeliveryError('internal_error', false);
}

/** Puts the job off until `ms` from now without counting an attempt (BullMQ's DelayedError). */
async function later(
  job: Job<JobData>,
  token: string | undefined,
  ms: number,
  patch: Partial<JobData>,
): Promise<never> {
  await job.updateData({ ...job.data, slotAt: undefined, ...patch });
  await job.moveToDelayed(Date.now() + ms, token);
  throw new DelayedError();
}

async function markSent(env: Env, row: DeliveryRow, sent: Sent): Promise<string> {
  await recordSent(env.app.storage.db, row, sent, new Date());
  env.app.metrics.deliveries.labels(row.platform, 'sent').inc();
  return 'sent';
}

async function noteAttempt(env: Env, row: DeliveryRow, error: string): Promise<void> {
  await env.app.storage.db
    .update(deliveries)
    .set({ attempts: sql`${deliveries.attempts} + 1`, lastError: error })
    .where(eq(deliveries.id, row.id));
}

/**
 * Records the delivery as failed (it then shows in the team's digest) and stops retrying it.
 * `unrecoverable` is false on the last of the transient attempts, when BullMQ stops by itself.
 */
async function fail(env: Env, row: DeliveryRow, error: DeliveryError, unrecoverable = true): Promise<never> {
  await env.app.storage.db
    .update(deliveries)
    .set({
      status: 'failed',
      failedAt: new Date(),
      attempts: sql`${deliveries.attempts} + 1`,
      lastError: error.message,
    })
    .where(and(eq(deliveries.id, row.id), eq(deliveries.status, 'queued')));
  env.app.metrics.deliveries.labels(row.platform, 'failed').inc();
  env.app.logger.warn(
    { deliveryId: row.id, platform: row.platform, kind: row.kind, error: error.message },
    'delivery failed',
  );
  throw unrecoverable ? new UnrecoverableError(error.message) : error;
}
