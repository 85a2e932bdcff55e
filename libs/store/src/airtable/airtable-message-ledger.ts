import { Injectable } from '@nestjs/common';
import { AppConfig } from '@maskline/config';
import { RedisService } from '@maskline/redis';
import { messageStatusRank } from '@maskline/telephony';

/** a delivery state: what Twilio last said about a message */
export interface DeliveryStatus {
  status: string;
  errorCode: string | null;
}

/** a landed message: its record and the delivery state written there */
export interface MessageRef extends DeliveryStatus {
  id: string;
}

// Twilio callbacks can arrive out of order: a late "sent" must not undo "delivered".
const rank = (status: string): number => messageStatusRank(status) ?? -1;

/** false when `next` would move a message back (unknown statuses always apply) */
export const isProgress = (current: string, next: string): boolean => rank(current) === -1 || rank(next) === -1 || rank(next) >= rank(current);

// Keeps the furthest status seen for a message (see isProgress).
const ACCUMULATE = `
local current = tonumber(redis.call('HGET', KEYS[1], 'rank') or '-1')
local next = tonumber(ARGV[3])
if current == -1 or next == -1 or next >= current then
  redis.call('HSET', KEYS[1], 'status', ARGV[1], 'errorCode', ARGV[2], 'rank', ARGV[3])
end
redis.call('EXPIRE', KEYS[1], ARGV[4])
return 1
`;
// Forgets an accumulated status once written, unless a newer one arrived meanwhile.
const SETTLE = `
if redis.call('HGET', KEYS[1], 'status') == ARGV[1] and redis.call('HGET', KEYS[1], 'errorCode') == ARGV[2] then
  return redis.call('DEL', KEYS[1])
end
return 0
`;

// Status callbacks come within minutes of the send; a day covers late ones.
const TTL_S = 24 * 3600;

/**
 * What the write-behind queue knows about relayed messages, by outbound
 * MessageSid: which are still queued, the record id and written status of
 * those that landed, and the furthest delivery status Twilio reported and
 * nobody has written yet. Status callbacks only accumulate here; one queued
 * job per message writes the result, folded into the message's own write
 * when it has not landed yet. A relayed message with three callbacks thus
 * costs a share of one or two batched requests.
 */
@Injectable()
export class AirtableMessageLedger {
  private readonly prefix: string;

  constructor(
    private readonly redis: RedisService,
    config: AppConfig,
  ) {
    this.prefix = `airtable:${config.store.airtable.baseId}:messages:`;
  }

  async markQueued(twilioSid: string): Promise<void> {
    await this.redis.client.sadd(`${this.prefix}queued`, twilioSid);
  }

  async queuedAmong(twilioSids: string[]): Promise<Set<string>> {
    if (!twilioSids.length) return new Set();
    const flags = await this.redis.client.smismember(`${this.prefix}queued`, ...twilioSids);
    return new Set(twilioSids.filter((_, i) => flags[i] === 1));
  }

  async landed(refs: Map<string, MessageRef>): Promise<void> {
    if (!refs.size) return;
    const multi = this.redis.client.multi().srem(`${this.prefix}queued`, ...refs.keys());
    for (const [sid, ref] of refs) multi.set(this.key('ref', sid), JSON.stringify(ref), 'EX', TTL_S);
    await multi.exec();
  }

  async refs(twilioSids: string[]): Promise<Map<string, MessageRef>> {
    return this.readJson<MessageRef>('ref', twilioSids);
  }

  async forgetRefs(twilioSids: string[]): Promise<void> {
    if (twilioSids.length) await this.redis.client.del(...twilioSids.map((s) => this.key('ref', s)));
  }

  async accumulate(twilioSid: string, status: DeliveryStatus): Promise<void> {
    await this.redis.evalScript(ACCUMULATE, 1, this.key('status', twilioSid), status.status, status.errorCode ?? '', rank(status.status), TTL_S);
  }

  async accumulated(twilioSids: string[]): Promise<Map<string, DeliveryStatus>> {
    const out = new Map<string, DeliveryStatus>();
    if (!twilioSids.length) return out;
    const pipeline = this.redis.client.pipeline();
    for (const sid of twilioSids) pipeline.hmget(this.key('status', sid), 'status', 'errorCode');
    const results = (await pipeline.exec()) ?? [];
    twilioSids.forEach((sid, i) => {
      const [status, errorCode] = (results[i]?.[1] as (string | null)[]) ?? [];
      if (status !== null && status !== undefined) out.set(sid, { status, errorCode: errorCode || null });
    });
    return out;
  }

  async settle(twilioSid: string, written: DeliveryStatus): Promise<void> {
    await this.redis.evalScript(SETTLE, 1, this.key('status', twilioSid), written.status, written.errorCode ?? '');
  }

  private async readJson<T>(kind: string, twilioSids: string[]): Promise<Map<string, T>> {
    const out = new Map<string, T>();
    if (!twilioSids.length) return out;
    const raw = await this.redis.client.mget(...twilioSids.map((s) => this.key(kind, s)));
    twilioSids.forEach((sid, i) => raw[i] && out.set(sid, JSON.parse(raw[i]!) as T));
    return out;
  }

  private key(kind: string, twilioSid: string): string {
    return `${this.prefix}${kind}:${twilioSid}`;
  }
}
