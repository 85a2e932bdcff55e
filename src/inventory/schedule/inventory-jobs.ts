/** Job names on the InventorySchedule queue. */
export const POOL_CAPACITY_CHECK_JOB = 'pool-capacity-check';
export const STANDBY_CHECK_JOB = 'standby-check';
/** one-off request from attach-number path A */
export const STANDBY_REPLENISH_JOB = 'standby-replenish';

/** job scheduler ids (one scheduler each across every instance) */
export const POOL_CAPACITY_SCHEDULER = 'pool-capacity-every-interval';
export const STANDBY_SCHEDULER = 'standby-keeper-every-interval';

export interface StandbyReplenishJobData {
  reason?: string;
}
