import type { AppConfig } from '@maskline/config';
import type { Job } from 'bullmq';

/**
 * The one place that says what a job is. Every job name maps to its queue
 * here; its data type is declared beside its handler (see JobDataMap), the
 * handler is a service method marked `@OnJob(JobName.X)`, and producers go
 * through `JobQueue.queue(JobName.X, data)`. JobWorkerHost refuses to start
 * when a job of a queue in use has no handler or two.
 */
export enum QueueName {
  /** one job per Number record: search, buy, configure, mark ready */
  NumberPurchase = 'number-purchase',
  /** capacity check and standby keeper (job schedulers: once across instances) and standby requests */
  InventorySchedule = 'inventory-schedule',
  /** inbound webhooks → routed and relayed SMS sends, with retries */
  Relay = 'relay',
  /** session expiry sweep on a job scheduler */
  SessionExpiry = 'session-expiry',
  /** the Airtable driver's write-behind writes (only with STORE_DRIVER=airtable) */
  AirtableWrites = 'airtable-writes',
  /** outreach: Twilio conversations to delete or close that the request could not */
  Outreach = 'outreach',
  /** failed/undelivered status callbacks → the failure policy, and the delayed one-time retries (SPEC 6) */
  Delivery = 'delivery',
  /** sitter and owner alerts: SMS and the owner webhook, with back-off */
  Alerts = 'alerts',
  /** Proxy mode only: prefixed re-sends of intercepted client texts, and Proxy sessions to close */
  ProxyRelay = 'proxy-relay',
  /** the dashboard's hourly sample of pool utilization and active sessions (a job scheduler: once across instances) */
  Ops = 'ops',
}

// The string values are the names stored in Redis: renaming one strands the
// jobs and schedulers already queued under the old name.
export enum JobName {
  PurchaseNumber = 'purchase-number',
  PoolCapacityCheck = 'pool-capacity-check',
  /** the standby keeper's schedule */
  StandbyCheck = 'standby-check',
  /** one-off request from attach-number path A */
  StandbyReplenish = 'standby-replenish',
  RelayRouteInbound = 'route-inbound',
  RelaySendSms = 'send-sms',
  /** writes a sent message to the MessageLog if its delivery outcome has not done so by then */
  RelayFlushMessageLog = 'flush-message-log',
  SessionExpirySweep = 'sweep',
  AirtableAuditRecord = 'audit.record',
  AirtableMessageRecord = 'message.record',
  AirtableMessageStatus = 'message.status',
  AirtableTouch = 'touch',
  /** deletes (orphan) or closes (closed row) a Twilio conversation no outreach row uses */
  OutreachReleaseConversation = 'release-twilio-conversation',
  /** one per failed relayed message: retry, alert or record (the failure policy) */
  DeliveryFailure = 'delivery-failure',
  /** the one retry of a temporary failure, delayed DELIVERY_RETRY_DELAY_SECONDS */
  DeliveryRetry = 'delivery-retry',
  /** an alert SMS to a sitter (in the client's thread) or to the owner */
  AlertSms = 'alert-sms',
  /** an owner alert POSTed to OWNER_ALERT_WEBHOOK_URL */
  AlertOwnerWebhook = 'owner-alert-webhook',
  /** a client's text that the intercept callback blocked, re-sent to the sitter with the prefix as a Message Interaction */
  ProxyResendToSitter = 'proxy-resend-to-sitter',
  /** closes the Proxy session of a session we closed (TTL, the close route, detach-number) */
  ProxyCloseSession = 'proxy-close-session',
  /** records one hourly sample for the dashboard's 30-day chart */
  OpsSample = 'ops-sample',
}

export const JOB_QUEUE: Record<JobName, QueueName> = {
  [JobName.PurchaseNumber]: QueueName.NumberPurchase,
  [JobName.PoolCapacityCheck]: QueueName.InventorySchedule,
  [JobName.StandbyCheck]: QueueName.InventorySchedule,
  [JobName.StandbyReplenish]: QueueName.InventorySchedule,
  [JobName.RelayRouteInbound]: QueueName.Relay,
  [JobName.RelaySendSms]: QueueName.Relay,
  [JobName.RelayFlushMessageLog]: QueueName.Relay,
  [JobName.SessionExpirySweep]: QueueName.SessionExpiry,
  [JobName.AirtableAuditRecord]: QueueName.AirtableWrites,
  [JobName.AirtableMessageRecord]: QueueName.AirtableWrites,
  [JobName.AirtableMessageStatus]: QueueName.AirtableWrites,
  [JobName.AirtableTouch]: QueueName.AirtableWrites,
  [JobName.OutreachReleaseConversation]: QueueName.Outreach,
  [JobName.DeliveryFailure]: QueueName.Delivery,
  [JobName.DeliveryRetry]: QueueName.Delivery,
  [JobName.AlertSms]: QueueName.Alerts,
  [JobName.AlertOwnerWebhook]: QueueName.Alerts,
  [JobName.ProxyResendToSitter]: QueueName.ProxyRelay,
  [JobName.ProxyCloseSession]: QueueName.ProxyRelay,
  [JobName.OpsSample]: QueueName.Ops,
};

interface QueueSettings {
  /** jobs of this queue one worker process runs at once */
  concurrency: number;
  /** the queue exists only in deployments this says yes to */
  inUse?: (config: AppConfig) => boolean;
}

export const QUEUE_SETTINGS: Record<QueueName, QueueSettings> = {
  // a purchase mostly waits on Twilio; four at once keep a bulk order moving without a burst of buys
  [QueueName.NumberPurchase]: { concurrency: 4 },
  [QueueName.InventorySchedule]: { concurrency: 1 },
  // one slow Twilio call must not hold up every other conversation; correctness under
  // concurrency comes from the store's atomic find-or-create and open-or-get
  [QueueName.Relay]: { concurrency: 16 },
  [QueueName.SessionExpiry]: { concurrency: 1 },
  // enough jobs in flight for every write batcher to fill requests of 10; a write job
  // mostly waits (for its batch or the request budget), so this is cheap
  [QueueName.AirtableWrites]: { concurrency: 50, inUse: (config) => config.store.driver === 'airtable' },
  // rare (a Twilio failure while cleaning up): a few at once is plenty
  [QueueName.Outreach]: { concurrency: 4 },
  // a failure decision is a few Redis and store reads; a retry is one send
  [QueueName.Delivery]: { concurrency: 8 },
  // alerts are rare; an owner webhook may be slow to answer
  [QueueName.Alerts]: { concurrency: 4 },
  // one Twilio call per job, like the Relay queue's sends
  [QueueName.ProxyRelay]: { concurrency: 16, inUse: (config) => config.twilio.relayMode === 'proxy' },
  // one sample an hour
  [QueueName.Ops]: { concurrency: 1 },
};

/** The queues this deployment runs: registered, shown in Bull Board and, in worker processes, consumed. */
export function queuesInUse(config: AppConfig): QueueName[] {
  return Object.values(QueueName).filter((name) => QUEUE_SETTINGS[name].inUse?.(config) ?? true);
}

/** The queues a context runs: the deployment's, or fewer for a context that holds only some modules (tests). */
export class QueuesInUse {
  constructor(readonly names: QueueName[]) {}

  /** the job names of these queues: each needs exactly one handler */
  jobs(): JobName[] {
    return Object.values(JobName).filter((name) => this.names.includes(JOB_QUEUE[name]));
  }
}

/**
 * Job name → data type. Empty here: each module adds its jobs' entries beside
 * their handler, so the type of `JobQueue.queue(JobName.X, data)` follows the
 * name without this library knowing the modules that use it:
 *
 *   declare module '@maskline/jobs' {
 *     interface JobDataMap { [JobName.RelaySendSms]: SendSmsJobData }
 *   }
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface JobDataMap {}

/** a job name whose data type has been declared */
export type KnownJob = JobName & keyof JobDataMap;
export type JobOf<N extends KnownJob> = Job<JobDataMap[N]>;
export type JobHandler<N extends KnownJob> = (job: JobOf<N>, token?: string) => Promise<unknown>;

export const ON_JOB_METADATA = 'maskline:on-job';

/**
 * Marks a service method as the handler of a job. The method receives the
 * BullMQ job (and the worker's lock token, for jobs that move themselves);
 * what it throws fails the attempt, BullMQ's UnrecoverableError fails the job.
 * Stack it to let one method handle several names.
 */
export function OnJob<N extends KnownJob>(name: N) {
  return <M extends JobHandler<N>>(_target: object, _key: string | symbol, descriptor: TypedPropertyDescriptor<M>): void => {
    const method = descriptor.value as object;
    const names: JobName[] = Reflect.getMetadata(ON_JOB_METADATA, method) ?? [];
    Reflect.defineMetadata(ON_JOB_METADATA, [...names, name], method);
  };
}
