import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { BullBoardModule } from '@bull-board/nestjs';
import { BullModule } from '@nestjs/bullmq';
import { DynamicModule, Global, Module } from '@nestjs/common';
import { AppConfig } from '@maskline/config';
import { RedisService } from '@maskline/redis';
import { adminProtectedBoardAdapter } from './admin-protected-board.adapter';
import { ProcessRoles } from './process-roles';
import { ALL_QUEUES } from './queue-names';

export const BULL_BOARD_ROUTE = '/admin/queues';

/**
 * BullMQ on the shared Redis (prefix REDIS_PREFIX, so parallel runs never
 * collide), every queue registered once, and Bull Board behind admin auth.
 */
@Global()
@Module({})
export class QueuesModule {
  static forRoot(config: AppConfig, roles: ProcessRoles, extraBoardQueues: string[] = []): DynamicModule {
    const queues = [...ALL_QUEUES, ...extraBoardQueues];
    const registered = BullModule.registerQueue(...queues.map((name) => ({ name })));
    return {
      module: QueuesModule,
      imports: [
        BullModule.forRootAsync({
          inject: [RedisService],
          useFactory: (redis: RedisService) => ({
            connection: redis.bullConnection('worker'),
            prefix: config.redis.prefix,
            defaultJobOptions: { removeOnComplete: { age: 7 * 24 * 3600, count: 5000 }, removeOnFail: { age: 30 * 24 * 3600 } },
          }),
        }),
        registered,
        ...(roles.api
          ? [
              BullBoardModule.forRoot({
                route: BULL_BOARD_ROUTE,
                adapter: adminProtectedBoardAdapter(config.auth.adminUsername, config.auth.adminPassword),
                boardOptions: { uiConfig: { boardTitle: 'Maskline queues' } },
              }),
              ...queues.map((name) => BullBoardModule.forFeature({ name, adapter: BullMQAdapter })),
            ]
          : []),
      ],
      providers: [{ provide: ProcessRoles, useValue: roles }],
      exports: [registered, ProcessRoles],
    };
  }
}
