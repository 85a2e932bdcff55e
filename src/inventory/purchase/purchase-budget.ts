import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { AppConfig } from '@maskline/config';
import { RedisService } from '@maskline/redis';
import { LimitReachedError, orRedisUnavailable } from '../../common/http/app-errors';

const KEY = 'inventory:purchase-budget';
const WINDOW_MS = 24 * 3600 * 1000;

// A rolling 24-hour window in one sorted set (one member per number, scored by
// time), checked and filled in one script so concurrent requests on any
// instance can never pass the cap together. ARGV[5..] are the quantities of
// several requests, decided in order (a batch of requests costs one call).
// Answers one {accepted, used, first member seq | oldest score} per quantity.
const RESERVE = `
local now, window, cap, id = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3]), ARGV[4]
redis.call('zremrangebyscore', KEYS[1], '-inf', now - window)
local used = redis.call('zcard', KEYS[1])
local seq = 0
local answers = {}
for i = 5, #ARGV do
  local quantity = tonumber(ARGV[i])
  if used + quantity > cap then
    local oldest = redis.call('zrange', KEYS[1], 0, 0, 'WITHSCORES')[2] or now
    answers[#answers + 1] = {0, used, tonumber(oldest)}
  else
    answers[#answers + 1] = {1, used + quantity, seq + 1}
    for k = 1, quantity do
      seq = seq + 1
      redis.call('zadd', KEYS[1], now, id .. '#' .. seq)
    end
    used = used + quantity
  end
end
redis.call('pexpire', KEYS[1], window)
return answers`;

export interface BudgetReservation {
  /** the sorted-set members taken, given back by refund() */
  members: string[];
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
    const [decision] = await this.reserveEach([quantity]);
    if (decision instanceof LimitReachedError) throw decision;
    return decision;
  }

  /**
   * Decides several requests in one Redis call, in order: each gets its
   * reservation or the LimitReachedError it would have got alone.
   */
  async reserveEach(quantities: number[]): Promise<(BudgetReservation | LimitReachedError)[]> {
    const cap = this.config.inventory.maxPurchasesPerDay;
    const id = randomUUID();
    const now = Date.now();
    const answers = (await orRedisUnavailable(
      this.redis.evalScript(RESERVE, 1, KEY, String(now), String(WINDOW_MS), String(cap), id, ...quantities.map(String)),
      'purchase budget',
    )) as [number, number, number][];
    return answers.map(([accepted, used, seqOrOldest], i) =>
      accepted === 1
        ? { members: Array.from({ length: quantities[i] }, (_, k) => `${id}#${seqOrOldest + k}`) }
        : this.capReached(cap, used, quantities[i], seqOrOldest, now),
    );
  }

  private capReached(cap: number, used: number, requested: number, oldest: number, now: number): LimitReachedError {
    const retryAfterSeconds = Math.max(1, Math.ceil((oldest + WINDOW_MS - now) / 1000));
    const error = new LimitReachedError(
      `Daily purchase cap reached: at most ${cap} numbers may be bought in 24 hours (MAX_PURCHASES_PER_DAY); ` +
        `${used} already requested, ${requested} more asked. Try again later or raise MAX_PURCHASES_PER_DAY.`,
      { limit: cap, used, requested, retry_after_seconds: retryAfterSeconds },
    );
    error.headers['Retry-After'] = String(retryAfterSeconds);
    return error;
  }

  /** how much of the rolling 24-hour cap is taken (the ops dashboard) */
  async usage(): Promise<{ limit: number; used: number; left: number }> {
    const limit = this.config.inventory.maxPurchasesPerDay;
    const used = await orRedisUnavailable(this.redis.client.zcount(KEY, Date.now() - WINDOW_MS, '+inf'), 'purchase budget');
    return { limit, used, left: Math.max(0, limit - used) };
  }

  /** gives a reservation back when nothing was written after all */
  async refund(reservation: BudgetReservation): Promise<void> {
    if (reservation.members.length === 0) return;
    await this.redis.client.zrem(KEY, ...reservation.members).catch(() => undefined);
  }
}
