import { Injectable } from '@nestjs/common';
import { RedisService } from '@maskline/redis';
import { orRedisUnavailable } from '../../common/http/redis-unavailable';

const KEY = 'inventory:pool-cooldown';

// Each step is one Lua script so that any number of app instances agree:
// only one caller can take a free guard, and a release never touches a guard
// that someone else took in the meantime.
const TAKE = `
if redis.call('exists', KEYS[1]) == 1 then return {0, redis.call('pttl', KEYS[1])} end
redis.call('hset', KEYS[1], 'claim', ARGV[1], 'taken_at', ARGV[2], 'holders', '')
redis.call('pexpire', KEYS[1], ARGV[3])
return {1, tonumber(ARGV[3])}`;
const ASSIGN = `
if redis.call('hget', KEYS[1], 'claim') ~= ARGV[1] then return 0 end
redis.call('hset', KEYS[1], 'holders', ARGV[2])
return 1`;
const RELEASE_CLAIM = `
if redis.call('hget', KEYS[1], 'claim') ~= ARGV[1] then return 0 end
return redis.call('del', KEYS[1])`;
// A holder is a Number record bought under the guard. A failed one leaves the
// list; the guard goes when nothing is left, i.e. when nothing was bought.
const RELEASE_HOLDER = `
local holders = redis.call('hget', KEYS[1], 'holders')
if not holders then return 0 end
local rest, found = {}, false
for id in string.gmatch(holders, '[^,]+') do
  if id == ARGV[1] then found = true else table.insert(rest, id) end
end
if not found then return 0 end
if #rest == 0 then redis.call('del', KEYS[1]) return 1 end
redis.call('hset', KEYS[1], 'holders', table.concat(rest, ','))
return 2`;

export interface CooldownStatus {
  active: boolean;
  until: Date | null;
  takenAt: Date | null;
  /** Number record ids bought under the guard */
  holders: string[];
}

export type TakeResult = { taken: true; until: Date } | { taken: false; until: Date | null };

/**
 * The 72-hour pool purchase cooldown (seed Zap 4, step 6), kept in Redis
 * rather than read from purchase dates so that the check and the taking of
 * the guard are one atomic step across all instances.
 */
@Injectable()
export class PoolCooldown {
  constructor(private readonly redis: RedisService) {}

  /**
   * Takes the guard if it is free. `takenAt` in the past shortens the window
   * (a purchase made earlier); a window already over takes nothing.
   */
  async tryTake(claim: string, cooldownMs: number, takenAt = new Date()): Promise<TakeResult> {
    const ttl = Math.floor(cooldownMs - (Date.now() - takenAt.getTime()));
    if (ttl <= 0) return { taken: true, until: new Date() };
    const [taken, pttl] = (await orRedisUnavailable(
      this.redis.evalScript(TAKE, 1, KEY, claim, String(takenAt.getTime()), String(ttl)),
      'pool cooldown',
    )) as [number, number];
    const until = pttl > 0 ? new Date(Date.now() + pttl) : null;
    return taken === 1 ? { taken: true, until: until ?? new Date() } : { taken: false, until };
  }

  /** names the records bought under this claim (only while the claim still holds the guard) */
  async assignHolders(claim: string, numberIds: string[]): Promise<boolean> {
    return (await orRedisUnavailable(this.redis.evalScript(ASSIGN, 1, KEY, claim, numberIds.join(',')), 'pool cooldown')) === 1;
  }

  /** gives the guard back when the claim's purchase never got going */
  async releaseClaim(claim: string): Promise<boolean> {
    return (await this.redis.evalScript(RELEASE_CLAIM, 1, KEY, claim)) === 1;
  }

  /** a purchase made under the guard failed without buying; frees the guard when it was the last one */
  async releaseHolder(numberId: string): Promise<'released' | 'kept' | 'not_holder'> {
    const result = await this.redis.evalScript(RELEASE_HOLDER, 1, KEY, numberId);
    return result === 1 ? 'released' : result === 2 ? 'kept' : 'not_holder';
  }

  async status(): Promise<CooldownStatus> {
    const [[, fields], [, pttl]] = (await orRedisUnavailable(this.redis.client.multi().hgetall(KEY).pttl(KEY).exec(), 'pool cooldown')) as [
      [Error | null, Record<string, string>],
      [Error | null, number],
    ];
    if (!fields?.claim || pttl <= 0) return { active: false, until: null, takenAt: null, holders: [] };
    return {
      active: true,
      until: new Date(Date.now() + pttl),
      takenAt: fields.taken_at ? new Date(Number(fields.taken_at)) : null,
      holders: fields.holders ? fields.holders.split(',') : [],
    };
  }
}
