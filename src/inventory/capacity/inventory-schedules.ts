import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { AppConfig } from '@maskline/config';
import { JobName, JobOf, JobQueue, KnownJob, OnJob, ProcessRoles } from '@maskline/jobs';
import { PoolCapacityService } from './pool-capacity.service';
import { StandbyKeeperService } from './standby-keeper.service';

declare module '@maskline/jobs' {
  interface JobDataMap {
    [JobName.PoolCapacityCheck]: Record<string, never>;
    [JobName.StandbyCheck]: StandbyReplenishJobData;
    [JobName.StandbyReplenish]: StandbyReplenishJobData;
  }
}

export interface StandbyReplenishJobData {
  reason?: string;
}

/** job scheduler ids (one scheduler each across every instance) */
export const POOL_CAPACITY_SCHEDULER = 'pool-capacity-every-interval';
export const STANDBY_SCHEDULER = 'standby-keeper-every-interval';

/**
 * The server-side Zaps 4 and 5: the capacity check and the standby keeper on
 * BullMQ job schedulers, once across all instances (a scheduler is a Redis
 * record keyed by id; every worker upserts the same one), and standby
 * requests from attach-number path A. The first run is one interval after
 * the scheduler is first created, not at boot: a fresh install with an empty
 * pool must not buy before the operator stocks it. Upserting again keeps the
 * existing next run, so restarts do not push the check back.
 */
@Injectable()
export class InventorySchedules implements OnApplicationBootstrap {
  private readonly logger = new Logger(InventorySchedules.name);

  constructor(
    private readonly capacity: PoolCapacityService,
    private readonly standby: StandbyKeeperService,
    private readonly jobs: JobQueue,
    private readonly roles: ProcessRoles,
    private readonly config: AppConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (!this.roles.workers) return;
    const { capacityCheckEveryHours, standbyCheckEveryHours } = this.config.inventory;
    await this.upsert(JobName.PoolCapacityCheck, POOL_CAPACITY_SCHEDULER, capacityCheckEveryHours);
    await this.upsert(JobName.StandbyCheck, STANDBY_SCHEDULER, standbyCheckEveryHours);
  }

  /** attach-number path A gave a standby number away: the keeper buys the next one in the background */
  async requestStandbyReplenish(reason: string): Promise<void> {
    await this.jobs.queue(JobName.StandbyReplenish, { reason });
  }

  @OnJob(JobName.PoolCapacityCheck)
  async runCapacityCheck(): Promise<Record<string, unknown>> {
    const report = await this.capacity.check({ trigger: 'schedule' });
    this.logger.log(`Scheduled pool capacity check: ${report.action}${report.reason ? ` (${report.reason})` : ''}, utilization ${report.utilizationRate.toFixed(2)}`);
    return { action: report.action, reason: report.reason, utilization_rate: report.utilizationRate };
  }

  @OnJob(JobName.StandbyCheck)
  @OnJob(JobName.StandbyReplenish)
  async runStandbyKeeper(job: JobOf<JobName.StandbyCheck | JobName.StandbyReplenish>): Promise<Record<string, unknown>> {
    const report = await this.standby.replenish(undefined, job.data.reason);
    return { action: report.action, reason: report.reason, number_inventory_id: report.purchased?.id ?? null };
  }

  private async upsert(name: KnownJob & (JobName.PoolCapacityCheck | JobName.StandbyCheck), id: string, everyHours: number): Promise<void> {
    const every = Math.round(everyHours * 3600_000);
    await this.jobs.schedule(name, id, { every, startDate: new Date(Date.now() + every) }, {});
  }
}
