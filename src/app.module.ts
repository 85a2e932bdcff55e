import { DynamicModule, Module, Type } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import type { DestinationStream } from 'pino';
import { AppConfig, ConfigModule } from '@maskline/config';
import { RedisModule } from '@maskline/redis';
import { StoreModule } from '@maskline/store';
import { TelephonyModule } from '@maskline/telephony';
import { ProcessRoles } from '@maskline/jobs';
import { MetricsCoreModule } from '@maskline/metrics';
import { AdminModule } from './admin/admin.module';
import { CommonModule } from './common/common.module';
import { loggerOptions } from './common/logging/logger.options';
import { HealthModule } from './health/health.module';
import { QueuesModule } from './queues/queues.module';
import { ClientsModule } from './clients/clients.module';
import { InterceptModule } from './intercept/intercept.module';
import { RelayTransportModule } from './intercept/relay-transport.module';
import { InventoryModule } from './inventory/inventory.module';
import { MetricsModule } from './metrics/metrics.module';
import { OutreachModule } from './outreach/outreach.module';
import { SessionsModule } from './sessions/sessions.module';
import { SittersModule } from './sitters/sitters.module';

export interface AppModuleOptions {
  config: AppConfig;
  roles: ProcessRoles;
  /** tests capture log lines here */
  logStream?: DestinationStream;
  /** extra modules mounted beside the features (tests, embedding) */
  extraModules?: Type[];
}

/** The whole service; the API and worker entrypoints differ only in `roles`. */
@Module({})
export class AppModule {
  static forRoot({ config, roles, logStream, extraModules = [] }: AppModuleOptions): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(config),
        LoggerModule.forRoot(loggerOptions(config.logLevel, logStream)),
        MetricsCoreModule,
        RedisModule,
        StoreModule.forRoot(config),
        TelephonyModule.forRoot(config),
        QueuesModule.forRoot(config, roles),
        CommonModule,
        HealthModule,
        InventoryModule,
        SittersModule,
        SessionsModule,
        InterceptModule,
        RelayTransportModule.forRoot(config),
        ClientsModule,
        OutreachModule,
        MetricsModule,
        AdminModule,
        ...extraModules,
      ],
    };
  }
}
