import { Injectable } from '@nestjs/common';
import { JobName, JobOf, OnJob } from '@maskline/jobs';
import { RedisService } from '@maskline/redis';
import { MessageLog, RecordMessageInput } from '@maskline/store';

const KEY = (twilioSid: string) => `relay:unlogged:${twilioSid}`;
// Long enough to outlive any flush retry; the entry is normally gone within seconds.
const ENTRY_TTL_S = 24 * 3600;

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
   * Writes the waiting message with its latest status (or the outcome given).
   * False when nothing was waiting: already written, or never held here.
   */
  async settle(twilioSid: string, outcome?: { status: string; errorCode: string | null }): Promise<boolean> {
    const key = KEY(twilioSid);
    // read and delete in one transaction: of two concurrent settles, one gets the entry
    const results = await this.redis.client.multi().hgetall(key).del(key).exec();
    const fields = (results?.[0]?.[1] ?? {}) as Record<string, string>;
    if (!fields.entry) return false;
    const message = JSON.parse(fields.entry) as UnloggedMessage;
    try {
      await this.messages.record({ ...message, status: outcome?.status ?? fields.status ?? message.status, errorCode: outcome?.errorCode ?? message.errorCode ?? null });
    } catch (err) {
      // put it back so a retry (of the callback or the flush job) can write it
      await this.redis.client.multi().hset(key, fields).expire(key, ENTRY_TTL_S).exec();
      throw err;
    }
    return true;
  }

  /** a carrier that never reports delivery: the message is logged as it stands */
  @OnJob(JobName.RelayFlushMessageLog)
  async flush(job: JobOf<JobName.RelayFlushMessageLog>): Promise<{ logged: boolean }> {
    return { logged: await this.settle(job.data.twilioSid) };
  }
}
