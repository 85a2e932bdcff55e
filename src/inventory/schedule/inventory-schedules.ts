import { InjectQueue } from '@nestjs/bullmq';
import { Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { Queue } from 'bullmq';
import { AppConfig } from '@maskline/config';
import { ProcessRoles } from '../../queues/process-roles';
import { QueueName } from '../../queues/queue-names';
import { POOL_CAPACITY_CHECK_JOB, POOL_CAPACITY_SCHEDULER, STANDBY_CHECK_JOB, STANDBY_SCHEDULER } from './inventory-jobs';

/**
 * Registers the two BullMQ job schedulers, once across all instances (a
 * scheduler is a Redis record keyed by id; every worker upserts the same one).
 * The first run is one interval after the scheduler is first created, not at
 * boot: a fresh install with an empty pool must not buy before the operator
 * stocks it. Upserting again keeps the existing next run, so restarts do not
 * push the check back.
 */
@Injectable()
export class InventorySchedules implements OnApplicationBootstrap {
  constructor(
    @InjectQueue(QueueName.InventorySchedule) private readonly queue: Queue,
    private readonly roles: ProcessRoles,
    private readonly config: AppConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (!this.roles.workers) return;
    const { capacityCheckEveryHours, standbyCheckEveryHours } = this.config.inventory;
    await this.upsert(POOL_CAPACITY_SCHEDULER, POOL_CAPACITY_CHECK_JOB, capacityCheckEveryHours);
    await this.upsert(STANDBY_SCHEDULER, STANDBY_CHECK_JOB, standbyCheckEveryHours);
  }

  private async upsert(id: string, jobName: string, everyHours: number): Promise<void> {
    const every = Math.round(everyHours * 3600_000);
    await this.queue.upsertJobScheduler(id, { every, startDate: new Date(Date.now() + every) }, { name: jobName, data: {} });
  }
}
