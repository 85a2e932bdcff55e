import { Injectable } from '@nestjs/common';
import { AppConfig } from '@maskline/config';
import { runningInJob } from '@maskline/jobs';
import { RedisService } from '@maskline/redis';

// Airtable's hard limit per base (PITFALLS: Airtable); config may only go lower.
export const AIRTABLE_MAX_REQUESTS_PER_SECOND = 5;

/**
 * Jobs (background work) reserve no slot further ahead than this. Without it
 * a backlog of jobs queues up minutes of slots after an outage, and a request
 * someone waits on (POST /numbers/purchase from Zapier) waits behind all of
 * them; with it the nearer slots always stay free for such a request.
 */
export const BACKGROUND_HORIZON_MS = 1_000;

/*
 * GCRA with no burst: every caller reserves the next free slot, one every
 * 1000/rps ms, on Redis's clock so all processes share one schedule. Slots
 * never start inside a 429 pause. Evenly spaced requests keep the base under
 * its limit even when network or event-loop jitter bunches some of them up
 * (a burst-then-wait window would put two bursts within one second).
 * KEYS: next-free-slot key, pause key; ARGV: interval ms, horizon ms (-1:
 * none). Returns ms until the reserved slot (0 = go now), or, when the free
 * slot lies beyond the horizon, minus its distance and reserves nothing.
 */
const RESERVE = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local slot = now
local paused = redis.call('PTTL', KEYS[2])
if paused > 0 then slot = now + paused end
local nextFree = tonumber(redis.call('GET', KEYS[1]) or '0')
if nextFree > slot then slot = nextFree end
local horizon = tonumber(ARGV[2])
if horizon >= 0 and slot - now > horizon then return -(slot - now) end
local interval = tonumber(ARGV[1])
redis.call('SET', KEYS[1], slot + interval, 'PX', slot - now + interval + 1000)
return slot - now
`;

// Only ever lengthens a pause: a late 429 must not shorten one already running.
const PAUSE = `
if redis.call('PTTL', KEYS[1]) < tonumber(ARGV[1]) then
  redis.call('SET', KEYS[1], '1', 'PX', ARGV[1])
end
return 1
`;

/**
 * The request budget of one Airtable base, shared by every process through
 * Redis. Hand-written because nothing in node_modules offers a Redis-backed
 * limiter for arbitrary calls (BullMQ's limiter only paces one queue's jobs),
 * and the 429 pause must live in the same place as the schedule.
 */
@Injectable()
export class AirtableRateLimiter {
  private readonly intervalMs: number;
  private readonly keys: { slot: string; pause: string };

  constructor(
    private readonly redis: RedisService,
    config: AppConfig,
  ) {
    const rps = Math.min(AIRTABLE_MAX_REQUESTS_PER_SECOND, config.store.airtable.requestsPerSecond);
    this.intervalMs = Math.ceil(1000 / rps);
    const base = config.store.airtable.baseId ?? 'default';
    this.keys = { slot: `airtable:${base}:next-slot`, pause: `airtable:${base}:pause` };
  }

  /** resolves when this process may send one request to the base */
  async acquire(): Promise<void> {
    const horizon = runningInJob() ? BACKGROUND_HORIZON_MS : -1;
    for (;;) {
      const wait = Number(await this.redis.evalScript(RESERVE, 2, this.keys.slot, this.keys.pause, this.intervalMs, horizon));
      if (wait < 0) {
        // a job, and the queue ahead is long: come back about when it has shortened to the horizon
        await sleep(Math.min(-wait - horizon, 2_000) * (0.5 + Math.random()) + this.intervalMs);
        continue;
      }
      if (wait === 0) return;
      const slotAt = Date.now() + wait;
      await sleep(wait);
      // woken long after the slot (a stalled event loop): going now would bunch up with the next slots
      if (Date.now() - slotAt > this.intervalMs / 2) continue;
      // a 429 may have paused the base while we waited for our slot
      if ((await this.pausedFor()) === 0) return;
    }
  }

  /** every process stops sending to the base for ms (after a 429) */
  async pause(ms: number): Promise<void> {
    await this.redis.evalScript(PAUSE, 1, this.keys.pause, Math.max(1, Math.round(ms)));
  }

  /** ms left in the current pause, 0 when none */
  async pausedFor(): Promise<number> {
    return Math.max(0, await this.redis.client.pttl(this.keys.pause));
  }
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
