import { getQueueToken } from '@nestjs/bullmq';
import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import type { Job, JobSchedulerTemplateOptions, JobsOptions, Queue, RepeatOptions } from 'bullmq';
import { JOB_QUEUE, JobDataMap, JobName, KnownJob, QueueName, QueuesInUse } from './jobs';

// A job whose data type no module declared cannot be queued: this names it at compile time.
const _everyJobHasData: Record<Exclude<JobName, keyof JobDataMap>, never> = {};

/** Redis did not take a job in time (the HTTP layer answers 503: retry later). */
export class QueueUnavailableError extends Error {
  constructor(readonly queue: QueueName) {
    super('Queue unavailable (Redis did not answer); retry shortly');
    this.name = 'QueueUnavailableError';
  }
}

export interface JobToQueue<N extends KnownJob = KnownJob> {
  name: N;
  data: JobDataMap[N];
  options?: JobsOptions;
}

// BullMQ's connection waits for Redis (its workers need that), so an add
// would hang while Redis is down: every add is bounded and then refused.
const ADD_TIMEOUT_MS = 3000;
const CONNECTION_WARNING_EVERY_MS = 10_000;

/**
 * The one producer of every queue: the job name picks the queue and the
 * data type. Job ids derived from records make adds idempotent (BullMQ
 * ignores an add whose id it still holds).
 */
@Injectable()
export class JobQueue implements OnModuleInit {
  private readonly queues = new Map<QueueName, Queue>();
  private readonly lastWarned = new Map<QueueName, number>();
  private readonly logger = new Logger('Jobs');

  constructor(
    private readonly moduleRef: ModuleRef,
    private readonly inUse: QueuesInUse,
  ) {}

  onModuleInit(): void {
    for (const name of this.inUse.names) {
      const queue = this.moduleRef.get<Queue>(getQueueToken(name), { strict: false });
      // without a listener BullMQ prints every connection error of an outage or failover as "Unhandled error"
      queue.on('error', (error: Error) => this.connectionTrouble(name, error));
      this.queues.set(name, queue);
    }
  }

  /** one warning per queue per ten seconds while Redis is away (adds are refused meanwhile: see bounded) */
  private connectionTrouble(name: QueueName, error: Error): void {
    const now = Date.now();
    if (now - (this.lastWarned.get(name) ?? 0) < CONNECTION_WARNING_EVERY_MS) return;
    this.lastWarned.set(name, now);
    this.logger.warn(`Queue ${name}: Redis connection trouble (${error.message})`);
  }

  /** adds one job; answers its id */
  async queue<N extends KnownJob>(name: N, data: JobDataMap[N], options: JobsOptions = {}): Promise<string> {
    const queue = this.queueOf(name);
    const job = await bounded(queue.add(name, data, options), JOB_QUEUE[name]);
    return job.id!;
  }

  /** adds jobs of one queue in one Redis round trip (all or none); answers their ids */
  async queueAll(jobs: JobToQueue[]): Promise<string[]> {
    if (jobs.length === 0) return [];
    const queueName = JOB_QUEUE[jobs[0].name];
    if (jobs.some((j) => JOB_QUEUE[j.name] !== queueName)) throw new Error('queueAll takes jobs of one queue');
    const added = await bounded(
      this.queueOf(jobs[0].name).addBulk(jobs.map((j) => ({ name: j.name, data: j.data, opts: j.options }))),
      queueName,
    );
    return added.map((job) => job.id!);
  }

  /**
   * Runs a job on a schedule kept in Redis: every process upserting the same
   * id keeps one schedule (a cron in each process would run it N times).
   */
  async schedule<N extends KnownJob>(name: N, schedulerId: string, repeat: Omit<RepeatOptions, 'key'>, data: JobDataMap[N], options?: JobSchedulerTemplateOptions): Promise<void> {
    await this.queueOf(name).upsertJobScheduler(schedulerId, repeat, { name, data, opts: options });
  }

  /** the job of that name and id, while BullMQ keeps it */
  async find<N extends KnownJob>(name: N, jobId: string): Promise<Job<JobDataMap[N]> | undefined> {
    return this.queueOf(name).getJob(jobId);
  }

  /** a finished job with this id would make BullMQ ignore a new add: remove it first */
  async removeFinished(name: KnownJob, jobId: string): Promise<void> {
    const job = await this.find(name, jobId);
    if (!job) return;
    const state = await job.getState();
    if (state === 'failed' || state === 'completed') await job.remove();
  }

  /** the BullMQ queue itself, for counts and drains */
  queueNamed(name: QueueName): Queue {
    const queue = this.queues.get(name);
    if (!queue) throw new Error(`queue ${name} is not in use in this process`);
    return queue;
  }

  private queueOf(name: JobName): Queue {
    return this.queueNamed(JOB_QUEUE[name]);
  }
}

async function bounded<R>(add: Promise<R>, queue: QueueName): Promise<R> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new QueueUnavailableError(queue)), ADD_TIMEOUT_MS);
  });
  try {
    return await Promise.race([add, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
