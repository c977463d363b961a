import { eq } from 'drizzle-orm';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deliveries, oversightRequests } from '../db/schema/index.ts';
import { ChannelPace } from '../jobs/channel-pace.ts';
import { jobIds } from '../jobs/queues.ts';
import { testEnvironment } from './support/environment.ts';
import { arrestTrigger, makeStaff, makeTeam } from './support/factories.ts';
import { uniqueName } from './support/names.ts';
import { dropRedisPrefix } from './support/redis.ts';
import { eventually, type SlackHarness, startSlackHarness } from './support/slack-harness.ts';

describe('the delivery queue to Slack', () => {
  let h: SlackHarness;
  beforeAll(async () => {
    h = await startSlackHarness();
    for (const [code, channel] of [
      ['T-RATE', 'C0RATE'],
      ['T-GONE', 'C0GONE'],
      ['T-WAIT', 'C0WAIT'],
      ['T-PACE', 'C0PACE'],
      ['T-FLAKY', 'C0FLAKY'],
      ['T-BURST', 'C0BURST'],
    ] as const) {
      await makeTeam(h.t.db.storage.db, { code, name: code, slackChannel: channel });
    }
    await makeStaff(h.t.db.storage.db, 'mgr-wait', 'manager', { teamCode: 'T-WAIT' });
  });
  const db = () => h.t.db.storage.db;
  const rowsOf = (requestId: string) =>
    db().select().from(deliveries).where(eq(deliveries.requestId, requestId));
  const settled = (requestId: string, kind = 'notice.post') =>
    eventually(async () => {
      const row = (await rowsOf(requestId)).find((d) => d.kind === kind);
      return row && row.status !== 'queued' ? row : undefined;
    }, 20_000);

  it('a 429 with Retry-After: 2 delays the post by at least 2 s, then it is sent', async () => {
    h.fake.fail('chat.postMessage', { kind: 'ratelimited', retryAfterSeconds: 2 }, { channel: 'C0RATE' });
    const requestId = await h.raise('X300001', 'T-RATE');
    const row = await settled(requestId);
    const calls = h.fake.of('chat.postMessage', 'C0RATE');
    expect(calls).toHaveLength(2);
    expect(calls[1]!.at - calls[0]!.at).toBeGreaterThanOrEqual(2000);
    expect(row).toMatchObject({ status: 'sent', attempts: 2, lastError: null });
    const [request] = await db().select().from(oversightRequests).where(eq(oversightRequests.id, requestId));
    expect(request).toMatchObject({ slackChannel: 'C0RATE', slackTs: expect.stringMatching(/^\d+\.\d+$/) });
  });

  it('channel_not_found is recorded on the delivery as failed and not retried', async () => {
    h.fake.fail(
      'chat.postMessage',
      { kind: 'error', error: 'channel_not_found' },
      { channel: 'C0GONE', times: 5 },
    );
    const requestId = await h.raise('X300002', 'T-GONE');
    const row = await settled(requestId);
    expect(row).toMatchObject({ status: 'failed', lastError: 'channel_not_found', attempts: 1 });
    expect(row.failedAt).toBeInstanceOf(Date);
    // The delivery's job has finished for good: failed, not retried (a retry would leave it
    // delayed or waiting). Only then can "one call" mean none came after.
    const state = () => h.t.app.queues.delivery.getJobState(jobIds.delivery(row.id));
    await eventually(async () => (await state()) === 'failed', 20_000);
    expect(h.fake.of('chat.postMessage', 'C0GONE')).toHaveLength(1);
  });

  it('an update queued before its notice is posted waits for the post instead of being lost', async () => {
    h.fake.fail('chat.postMessage', { kind: 'ratelimited', retryAfterSeconds: 1 }, { channel: 'C0WAIT' });
    const requestId = await h.raise('X300003', 'T-WAIT');
    await h.t.app.services.acknowledge({ staffCode: 'mgr-wait', surface: 'slack' }, { requestId });
    const update = await settled(requestId, 'notice.update');
    expect(update.status).toBe('sent');
    const [post] = h.fake.of('chat.postMessage', 'C0WAIT').slice(-1);
    const [edit] = h.fake.of('chat.update', 'C0WAIT');
    const [request] = await db().select().from(oversightRequests).where(eq(oversightRequests.id, requestId));
    expect(edit!.body.ts).toBe(request!.slackTs);
    expect(edit!.at).toBeGreaterThan(post!.at);
  });

  it('messages to one channel are paced to about one a second (one back-to-back allowed)', async () => {
    const ids = [];
    for (let i = 0; i < 5; i++) ids.push(await h.raise(`X30010${i}`, 'T-PACE'));
    await Promise.all(ids.map((id) => settled(id)));
    const times = h.fake.of('chat.postMessage', 'C0PACE').map((c) => c.at);
    expect(times).toHaveLength(5);
    // GCRA with a tolerance of one: any three consecutive messages span at least one interval.
    for (let i = 0; i + 2 < times.length; i++) expect(times[i + 2]! - times[i]!).toBeGreaterThanOrEqual(950);
    expect(times[4]! - times[0]!).toBeGreaterThanOrEqual(2950);
  });

  it('a burst of changes to one notice becomes one update, and does not hold up a new notice in the channel', async () => {
    const first = await h.raise('X300201', 'T-BURST');
    await settled(first);
    // Six more triggers for the same case: six updates of its notice, queued one after another.
    for (let i = 0; i < 6; i++) {
      const { requestId } = await h.t.app.services.raise(
        { staffCode: null, surface: 'api' },
        'X300201',
        arrestTrigger(`ev-burst-${i}`),
      );
      expect(requestId).toBe(first);
    }
    const second = await h.raise('X300202', 'T-BURST');
    await settled(second);
    await eventually(async () => {
      const rows = await rowsOf(first);
      return rows.every((r) => r.status === 'sent') ? rows : undefined;
    }, 20_000);

    const edits = h.fake.of('chat.update', 'C0BURST');
    expect(edits.length).toBeGreaterThanOrEqual(1);
    expect(edits.length).toBeLessThanOrEqual(2);
    // The new notice waits for one update's slot, not six.
    const [post] = h.fake.of('chat.postMessage', 'C0BURST').slice(-1);
    expect(post!.at - edits[0]!.at).toBeLessThan(3000);
    const times = h.fake.calls.filter((c) => c.body.channel === 'C0BURST').map((c) => c.at);
    for (let i = 0; i + 2 < times.length; i++) expect(times[i + 2]! - times[i]!).toBeGreaterThanOrEqual(950);
  });

  it('a transient failure (HTTP 500) is retried with backoff and then sent', async () => {
    h.fake.fail('chat.postMessage', { kind: 'http', status: 500 }, { channel: 'C0FLAKY' });
    const requestId = await h.raise('X300004', 'T-FLAKY');
    const row = await settled(requestId);
    expect(row).toMatchObject({ status: 'sent', attempts: 2 });
    const calls = h.fake.of('chat.postMessage', 'C0FLAKY');
    expect(calls[1]!.at - calls[0]!.at).toBeGreaterThanOrEqual(900);
  });

  it('counts each processed job in oversight_jobs_total, by queue and result', async () => {
    await makeTeam(db(), { code: 'T-COUNT', name: 'T-COUNT', slackChannel: 'C0COUNT' });
    const completed = async () => {
      const metric = await h.t.app.metrics.jobs.get();
      const value = metric.values.find(
        (v) => v.labels.queue === 'delivery' && v.labels.result === 'completed',
      );
      return value?.value ?? 0;
    };
    const before = await completed();
    await settled(await h.raise('X300010', 'T-COUNT'));
    expect(await eventually(async () => ((await completed()) > before ? true : undefined), 5000)).toBe(true);
    const text = await h.t.app.metrics.registry.metrics();
    expect(text).toMatch(/oversight_jobs_total\{queue="delivery",result="completed"\} [1-9]/);
  });

  it('a direct message to someone Slack does not know fails for good, recorded', async () => {
    h.fake.fail('chat.postMessage', { kind: 'error', error: 'user_not_found' }, { channel: 'U0KIM' });
    const requestId = await h.raise('X300005');
    await h.t.app.services.escalate({ staffCode: 'mgr-sam', surface: 'slack' }, { requestId });
    const row = await settled(requestId, 'direct');
    expect(row).toMatchObject({ status: 'failed', lastError: 'user_not_found', target: 'tl-kim' });
  });
});

describe('the per-channel pace in Redis', () => {
  const redis = new Redis(testEnvironment().redisUrl, { maxRetriesPerRequest: 1 });
  const prefix = `{${uniqueName('pace')}}`;
  const pace = new ChannelPace(redis, prefix, { intervalMs: 1000, burst: 1 });
  afterAll(async () => {
    await dropRedisPrefix(prefix);
    redis.disconnect();
  });

  it('books one slot per second after one back-to-back message, per channel', async () => {
    const waits = [];
    for (let i = 0; i < 4; i++) waits.push(await pace.reserve('slack:C1'));
    expect(waits[0]).toBe(0);
    expect(waits[1]).toBe(0);
    expect(waits[2]).toBeGreaterThan(900);
    expect(waits[3]).toBeGreaterThan(1900);
    expect(await pace.reserve('slack:C2')).toBe(0);
  });

  it('refuses a claim that would bunch messages up, however late the jobs woke', async () => {
    expect(await pace.claim('slack:C3')).toBe(0);
    expect(await pace.claim('slack:C3')).toBe(0);
    const wait = await pace.claim('slack:C3');
    expect(wait).toBeGreaterThan(900);
    expect(wait).toBeLessThanOrEqual(1000);
  });

  it('after a Retry-After nothing is claimed or booked before it ends', async () => {
    await pace.block('slack:C4', 2000);
    expect(await pace.claim('slack:C4')).toBeGreaterThan(1900);
    expect(await pace.reserve('slack:C4')).toBeGreaterThan(1900);
  });
});
