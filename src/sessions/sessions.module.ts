import { Module } from '@nestjs/common';
import { InventoryModule } from '../inventory/inventory.module';
import { SessionExpiryProcessor } from './expiry/session-expiry.processor';
import { SessionExpiryScheduler } from './expiry/session-expiry.scheduler';
import { InventoryPoolSupply } from './inventory-pool-supply';
import { PoolSupply } from './pool-supply.port';
import { SessionService } from './session.service';
import { SessionsController } from './sessions.controller';

/** Sessions API, the expiry sweep (once across instances) and SessionService for the relay. */
@Module({
  imports: [InventoryModule],
  controllers: [SessionsController],
  providers: [SessionService, SessionExpiryProcessor, SessionExpiryScheduler, { provide: PoolSupply, useClass: InventoryPoolSupply }],
  exports: [SessionService],
})
export class SessionsModule {}
