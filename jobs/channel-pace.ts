import type { Redis } from '../src/redis.ts';

/**
 * Paces messages per channel, shared by every worker process through Redis (BullMQ's own rate
 * limiter is per queue, not per group, in its open-source edition). Redis's clock is used
 * throughout, so workers on different hosts agree.
 *
 * Two steps. `reserve` books a slot when a job first runs, so jobs for a busy channel wait in
 * BullMQ's delayed set in order instead of retrying at random: it is a GCRA ("generic cell rate
 * algorithm") that books instead of refusing — the key holds the channel's theoretical arrival
 * time (TAT); a message may go at `TAT - burst·interval` or now, whichever is later, and moves the
 * TAT on by one interval. `claim`, right before the call, is the guarantee: the same GCRA on a
 * second key, but refusing (with how long to wait) instead of booking, so jobs that woke late (a
 * busy worker) cannot bunch up: over any n intervals a channel gets at most n + burst messages,
 * and none while the platform has asked us to wait (Retry-After).
 */
const now = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
`;

const reserveScript = `${now}
local interval = tonumber(ARGV[1])
local tolerance = tonumber(ARGV[2]) * interval
local tat = tonumber(redis.call('GET', KEYS[1]) or '0')
if tat < now then tat = now end
local at = tat - tolerance
if at < now then at = now end
redis.call('SET', KEYS[1], tat + interval, 'PX', tat + interval - now + 60000)
return at - now
`;

const claimScript = `${now}
local interval = tonumber(ARGV[1])
local tolerance = tonumber(ARGV[2]) * interval
local blocked = redis.call('PTTL', KEYS[2])
if blocked > 0 then return blocked end
local tat = tonumber(redis.call('GET', KEYS[1]) or '0')
if tat < now then tat = now end
if tat - tolerance > now then return tat - tolerance - now end
redis.call('SET', KEYS[1], tat + interval, 'PX', tat + interval - now + 60000)
return 0
`;

const blockScript = `${now}
local ms = tonumber(ARGV[1])
if redis.call('PTTL', KEYS[2]) < ms then redis.call('SET', KEYS[2], '1', 'PX', ms) end
local until_ = now + ms + tonumber(ARGV[2]) * tonumber(ARGV[3])
local tat = tonumber(redis.call('GET', KEYS[1]) or '0')
if tat < until_ then redis.call('SET', KEYS[1], until_, 'PX', until_ - now + 60000) end
return 0
`;

export type PaceOptions = { intervalMs: number; burst: number };

export class ChannelPace {
  constructor(
    private readonly redis: Redis,
    private readonly keyPrefix: string,
    private readonly options: PaceOptions,
  ) {}

  private keys(channel: string): [string, string] {
    return [`${this.keyPrefix}:pace:${channel}`, `${this.keyPrefix}:pace-block:${channel}`];
  }

  private sentKey(channel: string): string {
    return `${this.keyPrefix}:pace-sent:${channel}`;
  }

  /** Books the channel's next slot; returns how many milliseconds to wait for it (0: now). */
  async reserve(channel: string): Promise<number> {
    const [tat] = this.keys(channel);
    const { intervalMs, burst } = this.options;
    return Number(await this.redis.eval(reserveScript, 1, tat, intervalMs, burst));
  }

  /** Records a send now and returns 0, or returns how long to wait before trying again. */
  async claim(channel: string): Promise<number> {
    const [, block] = this.keys(channel);
    const { intervalMs, burst } = this.options;
    return Number(await this.redis.eval(claimScript, 2, this.sentKey(channel), block, intervalMs, burst));
  }

  /** Nothing more goes to the channel for `ms` (the platform said so); later bookings move past it. */
  async block(channel: string, ms: number): Promise<void> {
    const [tat, block] = this.keys(channel);
    const { intervalMs, burst } = this.options;
    await this.redis.eval(blockScript, 2, tat, block, Math.max(1, Math.ceil(ms)), burst, intervalMs);
  }
}
