import { Module } from '@nestjs/common';
import { InventorySchedules } from './capacity/inventory-schedules';
import { PoolCapacityService, PoolPurchaseLock } from './capacity/pool-capacity.service';
import { PoolCooldown } from './capacity/pool-cooldown';
import { PoolExhaustionService } from './capacity/pool-exhaustion.service';
import { StandbyKeeperService } from './capacity/standby-keeper.service';
import { InventoryController } from './http/inventory.controller';
import { NumbersController } from './http/numbers.controller';
import { InventoryDebugService } from './inventory-debug.service';
import { NumberRetirementService } from './retire/number-retirement.service';
import { NumberFulfilmentService } from './purchase/number-fulfilment.service';
import { NumberPurchaseService, PurchaseIntake, PurchaseJobQueue } from './purchase/number-purchase.service';
import { PoolNumberReadyListeners } from './purchase/pool-number-ready.listeners';
import { PurchaseBudget } from './purchase/purchase-budget';
import { ProxyServiceRef } from './purchase/proxy-service-ref';
import { MessagingServiceMembership, RelaySetupService } from './purchase/relay-setup.service';

/**
 * Number inventory:
 * - purchase/: the request side (NumberPurchaseService, the daily budget) and
 *   the worker side (NumberFulfilmentService) of every purchase;
 * - capacity/: the pool capacity monitor, the relay's exhaustion purchase, the
 *   pool cooldown and purchase lock, the standby keeper, and their schedules;
 * - http/: the controllers, their DTOs and the one presenter.
 *
 * For the relay (import this module): `PoolExhaustionService.requestPurchase()`
 * buys a pool number at once when a sitter has none free, and
 * `PoolNumberReadyListeners.subscribe()` hears when a pool number becomes ready.
 * Attach/detach-number (sitters module) buy through `NumberPurchaseService`
 * and ask the standby keeper for a replacement through `InventorySchedules`.
 */
@Module({
  controllers: [NumbersController, InventoryController],
  providers: [
    NumberPurchaseService,
    PurchaseIntake,
    PurchaseJobQueue,
    NumberFulfilmentService,
    RelaySetupService,
    ProxyServiceRef,
    MessagingServiceMembership,
    PoolNumberReadyListeners,
    PurchaseBudget,
    PoolCooldown,
    PoolPurchaseLock,
    PoolCapacityService,
    PoolExhaustionService,
    StandbyKeeperService,
    InventorySchedules,
    InventoryDebugService,
    NumberRetirementService,
  ],
  exports: [
    ProxyServiceRef,
    RelaySetupService,
    PoolExhaustionService,
    PoolNumberReadyListeners,
    PoolCooldown,
    NumberPurchaseService,
    InventorySchedules,
    PoolCapacityService,
    PurchaseBudget,
    NumberRetirementService,
  ],
})
export class InventoryModule {}
