import { Injectable } from '@nestjs/common';
import { JobQueue, QueueName } from '@maskline/jobs';
import { LifecycleCounts, NumberRepository } from '@maskline/store';
import { maskPhone } from '../common/phone/phone';
import { PoolCooldown } from './capacity/pool-cooldown';

const JOB_STATES = ['waiting', 'active', 'delayed', 'completed', 'failed', 'prioritized', 'waiting-children'] as const;
const RECENT = 20;

/**
 * GET /numbers/debug (admin only): inventory counts, queue state, the cooldown
 * and the latest records, for ops. Phones are masked even here.
 */
@Injectable()
export class InventoryDebugService {
  constructor(
    private readonly numbers: NumberRepository,
    private readonly cooldown: PoolCooldown,
    private readonly jobs: JobQueue,
  ) {}

  async snapshot() {
    const purchaseQueue = this.jobs.queueNamed(QueueName.NumberPurchase);
    const scheduleQueue = this.jobs.queueNamed(QueueName.InventorySchedule);
    const [pool, reserved, standby, purchaseJobs, scheduleJobs, schedulers, cooldown, recent] = await Promise.all([
      this.numbers.countByLifecycle('pool'),
      this.numbers.countByLifecycle('reserved'),
      this.numbers.countByLifecycle('standby'),
      purchaseQueue.getJobCounts(...JOB_STATES),
      scheduleQueue.getJobCounts(...JOB_STATES),
      scheduleQueue.getJobSchedulers(),
      this.cooldown.status(),
      this.numbers.listRecent(RECENT),
    ]);
    return {
      success: true,
      inventory: { pool: withTotal(pool), reserved: withTotal(reserved), standby: withTotal(standby) },
      queues: { [QueueName.NumberPurchase]: purchaseJobs, [QueueName.InventorySchedule]: scheduleJobs },
      schedules: schedulers.map((s) => ({ id: s.key, job: s.name, every_ms: s.every ?? null, next_run_at: s.next ? new Date(s.next).toISOString() : null })),
      cooldown: { active: cooldown.active, until: cooldown.until?.toISOString() ?? null, holders: cooldown.holders },
      recent_numbers: recent.map((n) => ({
        number_inventory_id: n.id,
        lifecycle: n.lifecycle,
        status: n.status,
        phone: n.phoneNumber ? maskPhone(n.phoneNumber) : null,
        error_code: n.errorCode,
        created_at: n.createdAt.toISOString(),
      })),
    };
  }
}

function withTotal(counts: LifecycleCounts) {
  return { ...counts, total: counts.pending + counts.ready + counts.failed + counts.released };
}
