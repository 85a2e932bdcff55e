import { Type } from '@nestjs/common';
import { AppConfig } from '@maskline/config';
import { AIRTABLE_WRITES_QUEUE } from '@maskline/store';
import { InventoryModule } from './inventory/inventory.module';
import { SittersModule } from './sitters/sitters.module';
import { SessionsModule } from './sessions/sessions.module';
import { InterceptModule } from './intercept/intercept.module';
import { ClientsModule } from './clients/clients.module';
import { OutreachModule } from './outreach/outreach.module';

/** Feature modules mounted by AppModule (Inventory, Sessions, Intercept, Clients, Outreach). */
export const FEATURE_MODULES: Type[] = [InventoryModule, SittersModule, SessionsModule, InterceptModule, ClientsModule, OutreachModule];

/** Queues owned by adapters rather than features, shown in Bull Board too. */
export function featureBoardQueues(config: AppConfig): string[] {
  return config.store.driver === 'airtable' ? [AIRTABLE_WRITES_QUEUE] : [];
}
