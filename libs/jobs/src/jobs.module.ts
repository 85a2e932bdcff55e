import { BullModule } from '@nestjs/bullmq';
import { DynamicModule, Global, Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { AppConfig } from '@maskline/config';
import { RedisService } from '@maskline/redis';
import { JobQueue } from './job-queue';
import { JobWorkerHost, ProcessRoles } from './job-worker-host';
import { QueueName, QueuesInUse, queuesInUse } from './jobs';

/**
 * BullMQ on the shared Redis (prefix REDIS_PREFIX, so parallel runs never
 * collide): every queue in use registered once, the typed producer and the
 * worker host. Needs the global ConfigModule and RedisModule.
 */
@Global()
@Module({})
export class JobsModule {
  /** `only`: a context holding some modules only (tests) runs just these queues */
  static forRoot(config: AppConfig, roles: ProcessRoles, only?: QueueName[]): DynamicModule {
    const names = only ?? queuesInUse(config);
    const queues = BullModule.registerQueue(...names.map((name) => ({ name })));
    return {
      module: JobsModule,
      imports: [
        DiscoveryModule,
        BullModule.forRootAsync({
          inject: [RedisService],
          useFactory: (redis: RedisService) => ({
            connection: redis.bullConnection('worker'),
            prefix: config.redis.prefix,
            defaultJobOptions: { removeOnComplete: { age: 7 * 24 * 3600, count: 5000 }, removeOnFail: { age: 30 * 24 * 3600 } },
          }),
        }),
        queues,
      ],
      providers: [{ provide: ProcessRoles, useValue: roles }, { provide: QueuesInUse, useValue: new QueuesInUse(names) }, JobQueue, JobWorkerHost],
      exports: [queues, ProcessRoles, JobQueue],
    };
  }
}
