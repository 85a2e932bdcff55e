import { Module } from '@nestjs/common';
import { InventoryModule } from '../inventory/inventory.module';
import { InventoryPoolSupply, PoolSupply } from './pool-supply';
import { SessionExpiry } from './session-expiry';
import { SessionService } from './session.service';
import { SessionsController } from './sessions.controller';

/** Sessions API, the expiry sweep (once across instances) and SessionService for the relay. */
@Module({
  imports: [InventoryModule],
  controllers: [SessionsController],
  providers: [SessionService, SessionExpiry, { provide: PoolSupply, useClass: InventoryPoolSupply }],
  exports: [SessionService],
})
export class SessionsModule {}
