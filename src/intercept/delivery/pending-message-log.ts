import { Injectable } from '@nestjs/common';
import { JobName, JobOf, OnJob } from '@maskline/jobs';
import { RedisService } from '@maskline/redis';
import { MessageLog, RecordMessageInput } from '@maskline/store';

const KEY = (twilioSid: string) => `relay:unlogged:${twilioSid}`;
// Long enough to outlive any flush retry; the entry is normally gone within seconds.
const ENTRY_TTL_S = 24 * 3600;

const RANK_KEY = (twilioSid: string) => `relay:status-rank:${twilioSid}`;
// Status callbacks of one message come within minutes; a week covers Twilio's late stragglers.
const RANK_TTL_S = 7 * 24 * 3600;
// Moves a message's status rank forward, never back or sideways; answers the rank it had (-1: no move).
const ADVANCE = `local cur = tonumber(redis.call('get', KEYS[1]) or '0')
if tonumber(ARGV[1]) <= cur then return -1 end
redis.call('set', KEYS[1], ARGV[1], 'EX', ARGV[2])
return cur`;
// Puts the rank back when the move's work failed, unless another callback moved it since.
const RETREAT = `if redis.call('get', KEYS[1]) == ARGV[1] then
  if ARGV[2] == '0' then redis.call('del', KEYS[1]) else redis.call('set', KEYS[1], ARGV[2], 'EX', ARGV[3]) end
end
return 1`;

// Records the latest status of a message still waiting, and only while it waits.
const NOTE_PROGRESS = `if redis.call('exists', KEYS[1]) == 1 then redis.call('hset', KEYS[1], 'status', ARGV[1]) return 1 end return 0`;

declare module '@maskline/jobs' {
  interface JobDataMap {
    /** queued by the send, FLUSH_MESSAGE_LOG_AFTER_MS after it */
    [JobName.RelayFlushMessageLog]: { twilioSid: string };
  }
}

export type UnloggedMessage = RecordMessageInput & { twilioSid: string };

/**
 * Sent messages wait here (in Redis) for their delivery outcome before they
 * are written to the MessageLog, so each message costs one store write
 * carrying its final status instead of a write and an update: on the
 * Airtable driver a status update is a lookup and a write against a budget
 * of 5 requests/s. Whoever takes the entry first writes it: the outcome's
 * status callback, or the flush job a little later (a carrier that never
 * reports delivery). An outcome arriving after that updates the record.
 */
@Injectable()
export class PendingMessageLog {
  constructor(
    private readonly redis: RedisService,
    private readonly messages: MessageLog,
  ) {}

  async hold(message: UnloggedMessage): Promise<void> {
    const key = KEY(message.twilioSid);
    await this.redis.client
      .multi()
      .hset(key, { entry: JSON.stringify(message), status: message.status })
      .expire(key, ENTRY_TTL_S)
      .exec();
  }

  /** an intermediate status (sent, sending): kept with the waiting entry, never written on its own */
  async noteProgress(twilioSid: string, status: string): Promise<void> {
    await this.redis.client.eval(NOTE_PROGRESS, 1, KEY(twilioSid), status);
  }

  /**
   * Forward-only status (SPEC 6): records that the message reached this rank
   * and answers a function that undoes it (the callback's work failed, so a
   * redelivery must count), or null when the message was already there or
   * further (a duplicate or late callback: nothing to do).
   */
  async advance(twilioSid: string, rank: number): Promise<(() => Promise<void>) | null> {
    const previous = Number(await this.redis.evalScript(ADVANCE, 1, RANK_KEY(twilioSid), rank, RANK_TTL_S));
    if (previous < 0) return null;
    return async () => {
      await this.redis.evalScript(RETREAT, 1, RANK_KEY(twilioSid), rank, previous, RANK_TTL_S);
    };
  }

  /**
   * Writes the waiting message with its latest status (or the outcome given).
   * False when nothing was waiting: already written, or never held here.
   */
  async settle(twilioSid: string, outcome?: { status: string; errorCode: string | null }): Promise<boolean> {
    return (await this.take(twilioSid, outcome)) !== null;
  }

  /** settle, answering the message written (null when nothing was waiting) */
  async take(twilioSid: string, outcome?: { status: string; errorCode: string | null }): Promise<UnloggedMessage | null> {
    const key = KEY(twilioSid);
    // read and delete in one transaction: of two concurrent settles, one gets the entry
    const results = await this.redis.client.multi().hgetall(key).del(key).exec();
    const fields = (results?.[0]?.[1] ?? {}) as Record<string, string>;
    if (!fields.entry) return null;
    const held = JSON.parse(fields.entry) as UnloggedMessage;
    const message = { ...held, status: outcome?.status ?? fields.status ?? held.status, errorCode: outcome?.errorCode ?? held.errorCode ?? null };
    try {
      await this.messages.record(message);
    } catch (err) {
      // put it back so a retry (of the callback or the flush job) can write it
      await this.redis.client.multi().hset(key, fields).expire(key, ENTRY_TTL_S).exec();
      throw err;
    }
    return message;
  }

  /** a carrier that never reports delivery: the message is logged as it stands */
  @OnJob(JobName.RelayFlushMessageLog)
  async flush(job: JobOf<JobName.RelayFlushMessageLog>): Promise<{ logged: boolean }> {
    return { logged: await this.settle(job.data.twilioSid) };
  }
}
