import { Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy, OnModuleInit, Optional } from '@nestjs/common';
import { DiscoveryService, MetadataScanner } from '@nestjs/core';
import { BackoffOptions, Job, MinimalJob, UnrecoverableError, Worker } from 'bullmq';
import { AppConfig } from '@maskline/config';
import { Metrics } from '@maskline/metrics';
import { RedisService, settleBullConnections } from '@maskline/redis';
import { JOB_QUEUE, JobName, ON_JOB_METADATA, QUEUE_SETTINGS, QueueName, QueuesInUse } from './jobs';
import { runAsJob } from './job-context';

/** Which halves of the service this process runs (`npm start` runs both). */
export class ProcessRoles {
  constructor(
    readonly api: boolean,
    readonly workers: boolean,
  ) {}
}

/** A job's handler was declared wrongly: start-up stops with this one line. */
export class JobHandlerError extends Error {}

type BoundHandler = ((job: Job, token?: string) => Promise<unknown>) & { owner: string };

/**
 * Backoff type for jobs that retry for hours (Airtable outages): exponential
 * from `delay`, capped at a minute, with jitter so a crowd of retries spreads.
 */
export const CAPPED_BACKOFF = 'capped-exponential';

/** how long a shutdown waits for running jobs before it stops without them */
export const SHUTDOWN_GRACE_MS = 10_000;

export function cappedBackoffMs(attemptsMade: number, delay = 1000): number {
  return Math.round(Math.min(60_000, delay * 2 ** Math.max(0, attemptsMade - 1)) * (0.8 + Math.random() * 0.4));
}

/**
 * Pairs every job name with its one `@OnJob` handler (in every process, so a
 * missing or doubled handler stops any start-up, naming the job), and in
 * processes with the worker role runs one BullMQ worker per queue in use.
 * An API-only process consumes nothing.
 */
@Injectable()
export class JobWorkerHost implements OnModuleInit, OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('Jobs');
  private readonly handlers = new Map<JobName, BoundHandler>();
  private readonly workers: Worker[] = [];

  constructor(
    private readonly discovery: DiscoveryService,
    private readonly scanner: MetadataScanner,
    private readonly roles: ProcessRoles,
    private readonly inUse: QueuesInUse,
    private readonly redis: RedisService,
    private readonly config: AppConfig,
    @Optional() private readonly metrics?: Metrics,
  ) {}

  onModuleInit(): void {
    const found = this.discoverHandlers();
    for (const name of this.inUse.jobs()) {
      const handlers = found.get(name) ?? [];
      if (handlers.length === 0) throw new JobHandlerError(`job "${name}" (queue ${JOB_QUEUE[name]}) has no handler: mark one service method @OnJob(JobName.${jobKey(name)})`);
      if (handlers.length > 1) throw new JobHandlerError(`job "${name}" has ${handlers.length} handlers (${handlers.map((h) => h.owner).join(', ')}): keep one`);
      this.handlers.set(name, handlers[0]);
      found.delete(name);
    }
    const [stray] = [...found.entries()];
    if (stray) throw new JobHandlerError(`job "${stray[0]}" has a handler (${stray[1][0].owner}) but its queue ${JOB_QUEUE[stray[0]]} is not in use`);
  }

  onApplicationBootstrap(): void {
    if (!this.roles.workers) return;
    for (const queue of this.inUse.names) this.workers.push(this.startWorker(queue));
  }

  async onModuleDestroy(): Promise<void> {
    // a worker still connecting would crash the process when closed (see settleBullConnections)
    await Promise.all(this.workers.map((w) => settleBullConnections(w)));
    await Promise.all(this.workers.splice(0).map((w) => this.closeWorker(w)));
  }

  /**
   * Lets running jobs finish for a bounded time, then stops without them: a
   * shutdown must not hang on one job stuck on a slow call. A job cut off
   * this way keeps its lock until it lapses, then another worker runs it
   * again, which every handler is written to survive.
   */
  private async closeWorker(worker: Worker): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const graceOver = new Promise<'grace_over'>((resolve) => {
      timer = setTimeout(() => resolve('grace_over'), SHUTDOWN_GRACE_MS).unref();
    });
    const outcome = await Promise.race([worker.close().then(() => 'closed' as const), graceOver]);
    clearTimeout(timer);
    if (outcome === 'grace_over') {
      this.logger.warn(`${worker.name} worker: jobs still running after ${SHUTDOWN_GRACE_MS} ms at shutdown; stopping without them`);
      await worker.close(true);
    }
  }

  private startWorker(queue: QueueName): Worker {
    const lock = this.config.queues.jobLockDurationMs;
    const worker = new Worker(queue, (job, token) => this.run(queue, job, token), {
      connection: this.redis.bullConnection('worker'),
      prefix: this.config.redis.prefix,
      concurrency: QUEUE_SETTINGS[queue].concurrency,
      // a job whose worker died is picked up again after about one lock duration
      lockDuration: lock,
      stalledInterval: lock,
      settings: { backoffStrategy: (attemptsMade: number, _type?: string, _err?: Error, job?: MinimalJob) => cappedBackoffMs(attemptsMade, (job?.opts.backoff as BackoffOptions | undefined)?.delay) },
    });
    worker.on('completed', () => this.metrics?.jobsFinished.inc({ queue, outcome: 'completed' }));
    worker.on('failed', (job, err) => {
      this.metrics?.jobsFinished.inc({ queue, outcome: 'failed' });
      this.logger.warn(`${queue} job ${job?.name} ${job?.id} failed (attempt ${job?.attemptsMade}): ${err.message}`);
    });
    worker.on('error', (err) => this.logger.error(`${queue} worker: ${err.message}`));
    return worker;
  }

  private run(queue: QueueName, job: Job, token?: string): Promise<unknown> {
    const handler = JOB_QUEUE[job.name as JobName] === queue ? this.handlers.get(job.name as JobName) : undefined;
    if (!handler) return Promise.reject(new UnrecoverableError(`no handler for job "${job.name}" on queue ${queue}`));
    return runAsJob(job.name, () => handler(job, token));
  }

  private discoverHandlers(): Map<JobName, BoundHandler[]> {
    const found = new Map<JobName, BoundHandler[]>();
    const seen = new Set<object>();
    for (const wrapper of this.discovery.getProviders()) {
      const instance = wrapper.instance as Record<string, unknown> | undefined;
      if (!instance || typeof instance !== 'object' || !wrapper.isDependencyTreeStatic() || seen.has(instance)) continue;
      seen.add(instance);
      for (const key of this.scanner.getAllMethodNames(Object.getPrototypeOf(instance))) {
        const method = instance[key] as (job: Job, token?: string) => Promise<unknown>;
        const names: JobName[] = Reflect.getMetadata(ON_JOB_METADATA, method) ?? [];
        for (const name of names) {
          const bound = Object.assign(method.bind(instance), { owner: `${instance.constructor.name}.${key}` });
          found.set(name, [...(found.get(name) ?? []), bound]);
        }
      }
    }
    return found;
  }
}

function jobKey(name: JobName): string {
  return Object.entries(JobName).find(([, value]) => value === name)![0];
}
