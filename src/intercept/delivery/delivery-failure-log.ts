import { Injectable } from '@nestjs/common';
import { RedisService } from '@maskline/redis';
import type { MessageDirection } from '@maskline/store';
import type { FailureAction } from '../rules/delivery-status';

/** Where a failed message's one retry stands. */
export type RetryState = 'none' | 'scheduled' | 'sent' | 'delivered' | 'failed';

/** One failed message, as the failure policy saw it (no phone numbers: the client is a label). */
export interface DeliveryFailure {
  messageSid: string;
  failedAt: string;
  status: string;
  errorCode: string | null;
  meaning: string;
  direction: MessageDirection;
  sessionId: string | null;
  clientId: string | null;
  clientLabel: string | null;
  action: FailureAction;
  /** this message was the retry of that one */
  retryOf: string | null;
}
export interface ListedFailure extends DeliveryFailure {
  retryState: RetryState;
  retryMessageSid: string | null;
  /** permanent failures counted on the client so far */
  clientFailures: number;
}

// Failures are listed for ops and Zapier for this long; the policy needs only one window.
const RETENTION_MS = 30 * 24 * 3600_000;
const ENTRY = (sid: string) => `delivery:failure:${sid}`;
const ALL = 'delivery:failures';
const PERMANENT = 'delivery:permanent';
const CLIENT_COUNTS = 'delivery:client-failures';
const RETRY_OF = (retrySid: string) => `delivery:retry-of:${retrySid}`;

// Counts a permanent failure once (the job may run again), on the client too; answers the window's count.
const RECORD_PERMANENT = `local added = redis.call('zadd', KEYS[1], 'NX', ARGV[1], ARGV[2])
if added == 1 and ARGV[3] ~= '' then redis.call('hincrby', KEYS[2], ARGV[3], 1) end
redis.call('zremrangebyscore', KEYS[1], '-inf', ARGV[4])
return redis.call('zcount', KEYS[1], ARGV[5], '+inf')`;

/**
 * The failure policy's memory, in Redis next to the queues it drives: each
 * failure with its retry state, the permanent failures of the owner window,
 * counts per client, and the claims that make "once" hold when a job or a
 * callback runs twice (a claim is kept by the first message sid that took
 * it, so a re-run of the same job still finds it its own).
 */
@Injectable()
export class DeliveryFailureLog {
  constructor(private readonly redis: RedisService) {}

  /** the first record of a message stays; a re-run changes nothing */
  async record(failure: DeliveryFailure, retryState: RetryState): Promise<void> {
    const at = Date.parse(failure.failedAt);
    const key = ENTRY(failure.messageSid);
    await this.redis.client
      .multi()
      .hsetnx(key, 'entry', JSON.stringify(failure))
      .hsetnx(key, 'retry_state', retryState)
      .pexpire(key, RETENTION_MS)
      .zadd(ALL, 'NX', at, failure.messageSid)
      .zremrangebyscore(ALL, '-inf', at - RETENTION_MS)
      .exec();
  }

  /** counts a permanent failure (once per message) and answers how many fell within the window ending at it */
  async countPermanent(messageSid: string, at: Date, clientId: string | null, windowMs: number): Promise<number> {
    const ms = at.getTime();
    return Number(await this.redis.evalScript(RECORD_PERMANENT, 2, PERMANENT, CLIENT_COUNTS, ms, messageSid, clientId ?? '', ms - RETENTION_MS, ms - windowMs));
  }

  /** true for the first message sid to claim this key (and for that sid again); false for any other */
  async claim(key: string, messageSid: string, ttlMs: number): Promise<boolean> {
    const owner = await this.redis.client.set(key, messageSid, 'PX', Math.max(1, Math.round(ttlMs)), 'NX', 'GET');
    return owner === null || owner === messageSid;
  }

  async setRetryState(messageSid: string, state: RetryState, retryMessageSid?: string): Promise<void> {
    const key = ENTRY(messageSid);
    await this.redis.client.hset(key, { retry_state: state, ...(retryMessageSid && { retry_message_sid: retryMessageSid }) });
  }

  /** remembers that `retrySid` is the retry of `originalSid` (its outcome becomes the original's retry state) */
  async linkRetry(originalSid: string, retrySid: string): Promise<void> {
    await this.redis.client.set(RETRY_OF(retrySid), originalSid, 'PX', RETENTION_MS);
    await this.setRetryState(originalSid, 'sent', retrySid);
  }

  retryOrigin(messageSid: string): Promise<string | null> {
    return this.redis.client.get(RETRY_OF(messageSid));
  }

  /** failures since an instant, oldest first */
  async listSince(since: Date, limit: number): Promise<ListedFailure[]> {
    return this.entries(await this.redis.client.zrangebyscore(ALL, since.getTime(), '+inf', 'LIMIT', 0, limit));
  }

  /** permanent failures since an instant, oldest first (the owner summary's material) */
  async listPermanentSince(since: Date, limit: number): Promise<ListedFailure[]> {
    return this.entries(await this.redis.client.zrangebyscore(PERMANENT, since.getTime(), '+inf', 'LIMIT', 0, limit));
  }

  private async entries(sids: string[]): Promise<ListedFailure[]> {
    if (sids.length === 0) return [];
    const pipeline = this.redis.client.pipeline();
    for (const sid of sids) pipeline.hgetall(ENTRY(sid));
    const rows = ((await pipeline.exec()) ?? []).map(([, value]) => value as Record<string, string>).filter((row) => row?.entry);
    const failures = rows.map((row) => ({ row, failure: JSON.parse(row.entry) as DeliveryFailure }));
    const clientIds = [...new Set(failures.map((f) => f.failure.clientId).filter((id): id is string => id !== null))];
    const counts = clientIds.length ? await this.redis.client.hmget(CLIENT_COUNTS, ...clientIds) : [];
    const countOf = new Map(clientIds.map((id, i) => [id, Number(counts[i] ?? 0)]));
    return failures.map(({ row, failure }) => ({
      ...failure,
      retryState: (row.retry_state as RetryState) ?? 'none',
      retryMessageSid: row.retry_message_sid ?? null,
      clientFailures: failure.clientId ? (countOf.get(failure.clientId) ?? 0) : 0,
    }));
  }
}
