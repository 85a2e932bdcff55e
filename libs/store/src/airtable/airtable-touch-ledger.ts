import { Injectable } from '@nestjs/common';
import { AppConfig } from '@maskline/config';
import { RedisService } from '@maskline/redis';

export type TouchedTable = 'sessions' | 'clients';

export interface PendingTouch {
  at?: Date;
  /** clients only: the sitter the client last wrote to */
  sitterId?: string;
}

// Clears the pending entry only if no newer touch arrived while it was landing,
// and remembers the latest time written (so a late, older touch is not written over it).
const SETTLE = `
local score = redis.call('ZSCORE', KEYS[1], ARGV[1])
if score and tonumber(score) <= tonumber(ARGV[2]) then redis.call('ZREM', KEYS[1], ARGV[1]) end
if ARGV[3] ~= '' and redis.call('HGET', KEYS[2], ARGV[1]) == ARGV[3] then redis.call('HDEL', KEYS[2], ARGV[1]) end
if tonumber(ARGV[2]) > 0 then redis.call('ZADD', KEYS[3], 'GT', ARGV[2], ARGV[1]) end
return 1
`;

/**
 * "Last activity" touches not yet written to Airtable. Every relayed message
 * touches its session and client; writing each one would cost two requests
 * per message against a budget of 5/s per base, so touches are written behind
 * (coalesced per record) and readers overlay the pending value meanwhile.
 * A touch never moves activity backwards relative to an earlier pending touch
 * (ZADD GT keeps the latest time).
 */
@Injectable()
export class AirtableTouchLedger {
  private readonly prefix: string;

  constructor(
    private readonly redis: RedisService,
    config: AppConfig,
  ) {
    this.prefix = `airtable:${config.store.airtable.baseId}:touch:`;
  }

  async record(table: TouchedTable, id: string, at: Date, sitterId?: string | null): Promise<void> {
    const multi = this.redis.client.multi().zadd(this.timesKey(table), 'GT', at.getTime(), id);
    if (sitterId) multi.hset(this.sittersKey(table), id, sitterId);
    await multi.exec();
  }

  async pending(table: TouchedTable, ids: string[]): Promise<Map<string, PendingTouch>> {
    const out = new Map<string, PendingTouch>();
    if (!ids.length) return out;
    const [times, sitters] = await Promise.all([
      this.redis.client.zmscore(this.timesKey(table), ...ids),
      table === 'clients' ? this.redis.client.hmget(this.sittersKey(table), ...ids) : Promise.resolve([] as (string | null)[]),
    ]);
    ids.forEach((id, i) => {
      if (times[i] === null && !sitters[i]) return;
      out.set(id, { at: times[i] === null ? undefined : new Date(Number(times[i])), sitterId: sitters[i] ?? undefined });
    });
    return out;
  }

  /**
   * What readers lay over a record read from Airtable or the cache: the latest
   * touch, pending or already written (a cached record may predate the write).
   */
  async overlay(table: TouchedTable, ids: string[]): Promise<Map<string, PendingTouch>> {
    const [pending, landed] = await Promise.all([this.pending(table, ids), this.landed(table, ids)]);
    for (const [id, at] of landed) {
      const p = pending.get(id);
      pending.set(id, { ...p, at: later(at, p?.at) ?? undefined });
    }
    return pending;
  }

  /** the latest time already written for each record, so landing needs no read of Airtable */
  async landed(table: TouchedTable, ids: string[]): Promise<Map<string, Date>> {
    const out = new Map<string, Date>();
    if (!ids.length) return out;
    const times = await this.redis.client.zmscore(this.landedKey(table), ...ids);
    ids.forEach((id, i) => times[i] !== null && out.set(id, new Date(Number(times[i]))));
    return out;
  }

  async settle(table: TouchedTable, id: string, landed: PendingTouch): Promise<void> {
    await this.redis.evalScript(
      SETTLE,
      3,
      this.timesKey(table),
      this.sittersKey(table),
      this.landedKey(table),
      id,
      landed.at?.getTime() ?? 0,
      landed.sitterId ?? '',
    );
  }

  private timesKey(table: TouchedTable): string {
    return `${this.prefix}${table}:at`;
  }

  private sittersKey(table: TouchedTable): string {
    return `${this.prefix}${table}:sitter`;
  }

  private landedKey(table: TouchedTable): string {
    return `${this.prefix}${table}:landed`;
  }
}

/** the later of a stored time and a pending touch */
export const later = (stored: Date | null, pending?: Date): Date | null =>
  pending && (!stored || pending > stored) ? pending : stored;
