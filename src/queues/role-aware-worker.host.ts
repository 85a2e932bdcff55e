import { WorkerHost } from '@nestjs/bullmq';
import { Inject, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { AppConfig } from '@maskline/config';
import { settleBullConnections } from '@maskline/redis';
import { ProcessRoles } from './process-roles';

/**
 * Base for every processor: declared with `@Processor(name, { autorun: false })`
 * so that an API-only process never consumes jobs; the worker starts here only
 * when this process has the worker role, with the configured job lock (a job
 * whose worker died is picked up again after about one lock duration).
 */
export abstract class RoleAwareWorkerHost extends WorkerHost implements OnApplicationBootstrap, OnModuleDestroy {
  @Inject(ProcessRoles) private readonly roles!: ProcessRoles;
  @Inject(AppConfig) private readonly appConfig!: AppConfig;

  onApplicationBootstrap(): void {
    if (!this.roles.workers) return;
    const lock = this.appConfig.queues.jobLockDurationMs;
    // decorator options are static; the lock comes from config, so it is set before the worker runs
    Object.assign(this.worker.opts, { lockDuration: lock, stalledInterval: lock });
    // run() resolves only when the worker closes; failures surface as 'error' events
    void this.worker.run().catch(() => undefined);
  }

  /** Nest closes the worker at shutdown; a worker still connecting would then crash the process */
  async onModuleDestroy(): Promise<void> {
    await settleBullConnections(this.worker);
  }
}
