import { Processor } from '@nestjs/bullmq';
import { Logger } from '@nestjs/common';
import { Job } from 'bullmq';
import { QueueName } from '../../queues/queue-names';
import { RoleAwareWorkerHost } from '../../queues/role-aware-worker.host';
import { PoolCapacityService } from '../capacity/pool-capacity.service';
import { StandbyKeeperService } from '../standby/standby-keeper.service';
import { POOL_CAPACITY_CHECK_JOB, STANDBY_CHECK_JOB, STANDBY_REPLENISH_JOB, StandbyReplenishJobData } from './inventory-jobs';

/** Runs the scheduled capacity check and standby keeper, and standby requests from attach-number. */
@Processor(QueueName.InventorySchedule, { autorun: false })
export class InventoryScheduleProcessor extends RoleAwareWorkerHost {
  private readonly logger = new Logger(InventoryScheduleProcessor.name);

  constructor(
    private readonly capacity: PoolCapacityService,
    private readonly standby: StandbyKeeperService,
  ) {
    super();
  }

  async process(job: Job<StandbyReplenishJobData>): Promise<Record<string, unknown>> {
    switch (job.name) {
      case POOL_CAPACITY_CHECK_JOB: {
        const report = await this.capacity.check({ trigger: 'schedule' });
        this.logger.log(`Scheduled pool capacity check: ${report.action}${report.reason ? ` (${report.reason})` : ''}, utilization ${report.utilizationRate.toFixed(2)}`);
        return { action: report.action, reason: report.reason, utilization_rate: report.utilizationRate };
      }
      case STANDBY_CHECK_JOB:
      case STANDBY_REPLENISH_JOB: {
        const report = await this.standby.replenish(undefined, job.data.reason);
        return { action: report.action, reason: report.reason, number_inventory_id: report.purchased?.id ?? null };
      }
      default:
        throw new Error(`Unknown inventory job "${job.name}"`);
    }
  }
}
