import { Injectable } from '@nestjs/common';
import { DistributedLock, LockNotAcquiredError } from '@maskline/redis';
import { DependencyUnavailableError } from '../../common/http/app-errors';

/**
 * Serializes "is a pool purchase pending? then buy one" across instances, for
 * the capacity check and the relay's exhaustion purchase alike, so the two
 * never start a second pool purchase between them.
 */
@Injectable()
export class PoolPurchaseLock {
  constructor(private readonly lock: DistributedLock) {}

  async run<T>(fn: () => Promise<T>): Promise<T> {
    try {
      return await this.lock.withLock('inventory-pool-purchase', fn, { ttlMs: 30_000, waitMs: 20_000 });
    } catch (error) {
      if (error instanceof LockNotAcquiredError) throw new DependencyUnavailableError('The pool purchase decision is busy; retry shortly');
      throw error;
    }
  }
}
