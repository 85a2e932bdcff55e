import { Module } from '@nestjs/common';
import { AttachNumberService } from './attach/attach-number.service';
import { InventoryHealthService } from './capacity/inventory-health.service';
import { PoolCapacityService } from './capacity/pool-capacity.service';
import { PoolExhaustionService } from './capacity/pool-exhaustion.service';
import { PoolPurchaseLock } from './capacity/pool-purchase.lock';
import { InventoryDebugService } from './debug/inventory-debug.service';
import { InventoryController } from './http/inventory.controller';
import { NumbersController } from './http/numbers.controller';
import { SitterNumbersController } from './http/sitter-numbers.controller';
import { NumberFulfilmentService } from './purchase/number-fulfilment.service';
import { NumberPurchaseService } from './purchase/number-purchase.service';
import { PurchaseIntake } from './purchase/purchase-intake';
import { PurchaseJobQueue } from './purchase/purchase-job.queue';
import { PoolNumberReadyListeners } from './purchase/pool-number-ready.listeners';
import { RelaySetupService } from './purchase/relay-setup.service';
import { PoolCooldownGuard } from './redis/pool-cooldown.guard';
import { PurchaseBudget } from './redis/purchase-budget';
import { InventorySchedules } from './schedule/inventory-schedules';
import { StandbyKeeperService } from './standby/standby-keeper.service';

/**
 * Number inventory: purchases (request + worker), pool capacity monitor,
 * standby keeper, sitter attach/detach, and their schedules.
 *
 * For the relay (import this module): `PoolExhaustionService.requestPurchase()`
 * buys a pool number at once when a sitter has none free, and
 * `PoolNumberReadyListeners.subscribe()` hears when a pool number becomes ready.
 */
@Module({
  controllers: [NumbersController, InventoryController, SitterNumbersController],
  providers: [
    NumberPurchaseService,
    PurchaseIntake,
    PurchaseJobQueue,
    NumberFulfilmentService,
    RelaySetupService,
    PoolNumberReadyListeners,
    PurchaseBudget,
    PoolCooldownGuard,
    PoolPurchaseLock,
    PoolCapacityService,
    PoolExhaustionService,
    InventoryHealthService,
    StandbyKeeperService,
    AttachNumberService,
    InventorySchedules,
    InventoryDebugService,
  ],
  exports: [PoolExhaustionService, PoolNumberReadyListeners, PoolCooldownGuard, NumberPurchaseService],
})
export class InventoryModule {}
