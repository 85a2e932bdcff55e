import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { AppConfig } from '@maskline/config';
import { RedisService } from '@maskline/redis';
import { LimitReachedError } from '../../common/http/app-errors';
import { orRedisUnavailable } from './redis-unavailable';

const KEY = 'inventory:purchase-budget';
const WINDOW_MS = 24 * 3600 * 1000;

// A rolling 24-hour window in one sorted set (one member per number, scored by
// time), checked and filled in one script so concurrent requests on any
// instance can never pass the cap together. Answers {accepted, used, oldest}.
const RESERVE = `
local now, window, cap, quantity = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3]), tonumber(ARGV[4])
redis.call('zremrangebyscore', KEYS[1], '-inf', now - window)
local used = redis.call('zcard', KEYS[1])
if used + quantity > cap then
  local oldest = redis.call('zrange', KEYS[1], 0, 0, 'WITHSCORES')[2] or now
  return {0, used, tonumber(oldest)}
end
for i = 1, quantity do redis.call('zadd', KEYS[1], now, ARGV[5] .. '#' .. i) end
redis.call('pexpire', KEYS[1], window)
return {1, used + quantity, now}`;

export interface BudgetReservation {
  id: string;
  quantity: number;
}

/**
 * MAX_PURCHASES_PER_DAY: how many numbers may be requested in any 24 hours,
 * whatever asks (Zapier, the capacity check, the standby keeper, the relay).
 * Stops a runaway loop from spending money.
 */
@Injectable()
export class PurchaseBudget {
  constructor(
    private readonly redis: RedisService,
    private readonly config: AppConfig,
  ) {}

  /** takes `quantity` from today's budget or throws LimitReachedError (429) */
  async reserve(quantity: number): Promise<BudgetReservation> {
    const cap = this.config.inventory.maxPurchasesPerDay;
    const id = randomUUID();
    const now = Date.now();
    const [accepted, used, oldest] = (await orRedisUnavailable(
      this.redis.evalScript(RESERVE, 1, KEY, String(now), String(WINDOW_MS), String(cap), String(quantity), id),
      'purchase budget',
    )) as [number, number, number];
    if (accepted === 1) return { id, quantity };
    const retryAfterSeconds = Math.max(1, Math.ceil((oldest + WINDOW_MS - now) / 1000));
    const error = new LimitReachedError(
      `Daily purchase cap reached: at most ${cap} numbers may be bought in 24 hours (MAX_PURCHASES_PER_DAY); ` +
        `${used} already requested, ${quantity} more asked. Try again later or raise MAX_PURCHASES_PER_DAY.`,
      { limit: cap, used, requested: quantity, retry_after_seconds: retryAfterSeconds },
    );
    error.headers['Retry-After'] = String(retryAfterSeconds);
    throw error;
  }

  /** gives a reservation back when nothing was written after all */
  async refund(reservation: BudgetReservation): Promise<void> {
    const members = Array.from({ length: reservation.quantity }, (_, i) => `${reservation.id}#${i + 1}`);
    await this.redis.client.zrem(KEY, ...members).catch(() => undefined);
  }
}
