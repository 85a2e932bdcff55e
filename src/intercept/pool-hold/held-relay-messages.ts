import { Injectable, Logger } from '@nestjs/common';
import { JobName, JobOf, JobQueue } from '@maskline/jobs';
import { RedisService } from '@maskline/redis';
import { heldRecheckDelayMs } from '../rules/hold-delay';

const HELD_KEY = 'relay:held-for-pool';
const READY_EPOCH_KEY = 'relay:pool-ready-epoch';

/**
 * SPEC 3.4: a message with no free pool number waits in the queue, not in
 * memory. Its routing job moves itself to `delayed` (no attempt used) and is
 * listed here; when a pool number becomes ready, every listed job is promoted
 * and routes again. The "ready epoch" closes the gap between a job finding
 * the pool exhausted and parking itself: a number that became ready in
 * between promotes the job straight away.
 */
@Injectable()
export class HeldRelayMessages {
  private readonly logger = new Logger(HeldRelayMessages.name);

  constructor(
    private readonly jobs: JobQueue,
    private readonly redis: RedisService,
  ) {}

  /** read before routing, handed back to hold() */
  async readyEpoch(): Promise<string> {
    return (await this.redis.client.get(READY_EPOCH_KEY)) ?? '0';
  }

  /** Parks the active routing job; the caller then throws BullMQ's DelayedError. */
  async hold(job: JobOf<JobName.RelayRouteInbound>, token: string, epochBeforeRouting: string): Promise<void> {
    const timesHeld = (job.data.timesHeld ?? 0) + 1;
    await job.updateData({ ...job.data, timesHeld });
    await this.redis.client.sadd(HELD_KEY, job.id!);
    await job.moveToDelayed(Date.now() + heldRecheckDelayMs(timesHeld), token);
    if ((await this.readyEpoch()) !== epochBeforeRouting) await this.promote(job.id!);
  }

  /** the job routed after all */
  async forget(jobId: string): Promise<void> {
    await this.redis.client.srem(HELD_KEY, jobId);
  }

  /** A pool number became ready: every held message tries again now. */
  async releaseAll(): Promise<number> {
    await this.redis.client.incr(READY_EPOCH_KEY);
    const ids = await this.redis.client.smembers(HELD_KEY);
    let promoted = 0;
    for (const id of ids) if (await this.promote(id)) promoted += 1;
    if (promoted) this.logger.log(`Pool number ready: ${promoted} held message(s) released`);
    return promoted;
  }

  async heldCount(): Promise<number> {
    return this.redis.client.scard(HELD_KEY);
  }

  private async promote(id: string): Promise<boolean> {
    const job = await this.jobs.find(JobName.RelayRouteInbound, id);
    if (!job) {
      await this.forget(id);
      return false;
    }
    // only a parked job can be promoted; an active one is already looking again
    if (!(await job.isDelayed())) return false;
    return job.promote().then(
      () => true,
      () => false,
    );
  }
}
