import { DynamicModule, Module } from '@nestjs/common';
import { AppConfig } from '@maskline/config';
import { AirtableStoreModule } from './airtable/airtable-store.module';
import { SqlStoreModule } from './sql/sql-store.module';

/**
 * Binds the record ports to the driver STORE_DRIVER names. Nothing outside
 * libs/store knows which one is in use. Both driver modules provide and export
 * SitterRepository, ClientRepository, NumberRepository, SessionRepository,
 * MessageLog, AuditLog and StoreHealth.
 */
@Module({})
export class StoreModule {
  static forRoot(config: AppConfig): DynamicModule {
    const driver = config.store.driver === 'airtable' ? AirtableStoreModule : SqlStoreModule;
    return { module: StoreModule, global: true, imports: [driver], exports: [driver] };
  }
}
