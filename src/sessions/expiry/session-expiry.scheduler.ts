import { InjectQueue } from '@nestjs/bullmq';
import { Injectable, OnApplicationBootstrap } from '@nestjs/common';
import type { Queue } from 'bullmq';
import { AppConfig } from '@maskline/config';
import { ProcessRoles } from '../../queues/process-roles';
import { QueueName } from '../../queues/queue-names';

export const SESSION_EXPIRY_SCHEDULER_ID = 'session-expiry-sweep';
export const SESSION_EXPIRY_JOB = 'sweep';

/**
 * One sweep every SESSION_EXPIRY_CHECK_EVERY_MINUTES across all instances: a
 * BullMQ job scheduler lives in Redis, so every worker process upserting the
 * same id keeps one schedule (a cron in each process would run N sweeps).
 */
@Injectable()
export class SessionExpiryScheduler implements OnApplicationBootstrap {
  constructor(
    @InjectQueue(QueueName.SessionExpiry) private readonly queue: Queue,
    private readonly roles: ProcessRoles,
    private readonly config: AppConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (!this.roles.workers) return;
    await this.queue.upsertJobScheduler(
      SESSION_EXPIRY_SCHEDULER_ID,
      { every: this.config.relay.sessionExpiryCheckEveryMinutes * 60_000 },
      { name: SESSION_EXPIRY_JOB, data: {}, opts: { attempts: 3, backoff: { type: 'exponential', delay: 5_000 }, removeOnComplete: { count: 100 }, removeOnFail: { count: 100 } } },
    );
  }
}
