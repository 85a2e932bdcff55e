import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { RedisService } from './redis.service';

export class LockNotAcquiredError extends Error {
  constructor(readonly key: string) {
    super(`lock ${key} is busy`);
    this.name = 'LockNotAcquiredError';
  }
}

// Release only if we still own it: a lock that expired and was taken by
// another process must not be deleted by us.
const RELEASE = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end`;

/**
 * Mutual exclusion across processes on one Redis. Written here rather than
 * taken from `redlock`: with a single Redis, SET NX PX plus an owner-checked
 * release is the whole algorithm, and redlock's multi-master quorum buys nothing.
 */
@Injectable()
export class DistributedLock {
  constructor(private readonly redis: RedisService) {}

  /** runs fn while holding `lock:<name>`; waits up to waitMs for it */
  async withLock<T>(name: string, fn: () => Promise<T>, opts: { ttlMs?: number; waitMs?: number } = {}): Promise<T> {
    const ttlMs = opts.ttlMs ?? 15_000;
    const waitMs = opts.waitMs ?? 10_000;
    const key = `lock:${name}`;
    const token = randomUUID();
    const deadline = Date.now() + waitMs;
    let delay = 5;
    while ((await this.redis.client.set(key, token, 'PX', ttlMs, 'NX')) !== 'OK') {
      if (Date.now() >= deadline) throw new LockNotAcquiredError(name);
      await new Promise((r) => setTimeout(r, delay + Math.random() * delay));
      delay = Math.min(delay * 2, 100);
    }
    try {
      return await fn();
    } finally {
      await this.redis.evalScript(RELEASE, 1, key, token).catch(() => undefined);
    }
  }
}
