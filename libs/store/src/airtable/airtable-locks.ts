import { Injectable } from '@nestjs/common';
import { AppConfig } from '@maskline/config';
import { DistributedLock } from '@maskline/redis';

/**
 * Airtable has no transactions: read-check-write sequences run under Redis
 * locks named after what they protect (a phone, a sitter, a number). Several
 * locks are always taken in sorted order so two callers can never deadlock.
 * The TTL outlives a 429 pause, or a paused holder would lose its lock mid-write.
 */
@Injectable()
export class AirtableLocks {
  private readonly prefix: string;
  private readonly ttlMs: number;

  constructor(
    private readonly lock: DistributedLock,
    config: AppConfig,
  ) {
    this.prefix = `airtable:${config.store.airtable.baseId}:`;
    this.ttlMs = 2 * config.store.airtable.rateLimitPauseMs + 30_000;
  }

  async with<T>(names: string[], fn: () => Promise<T>): Promise<T> {
    const ordered = [...new Set(names)].sort();
    const run = (i: number): Promise<T> =>
      i === ordered.length ? fn() : this.lock.withLock(this.prefix + ordered[i], () => run(i + 1), { ttlMs: this.ttlMs, waitMs: this.ttlMs });
    return run(0);
  }
}
