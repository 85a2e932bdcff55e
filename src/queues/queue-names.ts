/**
 * Every queue the service uses, in one place. Each is registered once
 * (QueuesModule) and shown in Bull Board; feature processors name theirs here.
 */
export enum QueueName {
  /** one job per Number record: search, buy, configure, mark ready */
  NumberPurchase = 'number-purchase',
  /** capacity check and standby keeper, on BullMQ job schedulers (once across instances) */
  InventorySchedule = 'inventory-schedule',
  /** inbound webhooks → routed and relayed SMS sends, with retries */
  Relay = 'relay',
  /** session expiry sweep on a job scheduler */
  SessionExpiry = 'session-expiry',
}

export const ALL_QUEUES: QueueName[] = Object.values(QueueName);
