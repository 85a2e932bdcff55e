import { Injectable } from '@nestjs/common';
import { AppConfig } from '@maskline/config';
import { RedisService } from '@maskline/redis';

export type IdempotencyRecord =
  | { state: 'in_flight'; fingerprint: string }
  | { state: 'done'; fingerprint: string; status: number; body: unknown };

// A claim whose process died before answering frees itself after this; every
// route here answers in seconds, so a live request never outlasts it.
const IN_FLIGHT_TTL_SECONDS = 600;

/** Idempotency records in Redis: answers kept IDEMPOTENCY_TTL_HOURS (48 h by default), claims 10 minutes. */
@Injectable()
export class IdempotencyStore {
  private readonly ttlSeconds: number;
  constructor(
    private readonly redis: RedisService,
    config: AppConfig,
  ) {
    this.ttlSeconds = config.idempotencyTtlHours * 3600;
  }

  /** claims the key for a first request; returns the existing record otherwise */
  async claim(key: string, fingerprint: string): Promise<IdempotencyRecord | null> {
    const record: IdempotencyRecord = { state: 'in_flight', fingerprint };
    const ok = await this.redis.client.set(this.key(key), JSON.stringify(record), 'EX', Math.min(IN_FLIGHT_TTL_SECONDS, this.ttlSeconds), 'NX');
    if (ok === 'OK') return null;
    const raw = await this.redis.client.get(this.key(key));
    // expired between SET and GET: treat as ours next time; ask the caller to retry
    return raw ? (JSON.parse(raw) as IdempotencyRecord) : { state: 'in_flight', fingerprint };
  }

  async complete(key: string, record: Extract<IdempotencyRecord, { state: 'done' }>): Promise<void> {
    await this.redis.client.set(this.key(key), JSON.stringify(record), 'EX', this.ttlSeconds);
  }

  /** forget a key whose first attempt failed on our side, so the client may retry */
  async release(key: string): Promise<void> {
    await this.redis.client.del(this.key(key));
  }

  private key(key: string): string {
    return `idem:${key}`;
  }
}
