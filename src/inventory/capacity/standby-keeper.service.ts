import { Injectable, Logger } from '@nestjs/common';
import { AppConfig } from '@maskline/config';
import { DistributedLock, LockNotAcquiredError } from '@maskline/redis';
import { InventoryNumber, LifecycleCounts, NumberRepository } from '@maskline/store';
import { DependencyUnavailableError } from '../../common/http/app-errors';
import { NumberPurchaseService } from '../purchase/number-purchase.service';
import { decideStandby, StandbyBlock } from './replenish-decision';

/** counts as found before the decision */
export interface StandbyReport {
  action: 'purchased' | 'none';
  reason: StandbyBlock | null;
  standbyReadyCount: number;
  standbyPendingCount: number;
  purchased: InventoryNumber | null;
}

/**
 * Standby keeper (seed Zap 5): keeps one verified number waiting to become a
 * new sitter's reserved number. Check and purchase run under one lock, so
 * concurrent calls (Zapier, the schedule, attach-number path A) buy one.
 */
@Injectable()
export class StandbyKeeperService {
  private readonly logger = new Logger(StandbyKeeperService.name);

  constructor(
    private readonly numbers: NumberRepository,
    private readonly purchases: NumberPurchaseService,
    private readonly lock: DistributedLock,
    private readonly config: AppConfig,
  ) {}

  async replenish(areaCode?: string, reason = 'Standby keeper: no standby number ready'): Promise<StandbyReport> {
    try {
      return await this.lock.withLock('inventory-standby-purchase', () => this.replenishUnderLock(areaCode, reason), { ttlMs: 30_000, waitMs: 20_000 });
    } catch (error) {
      if (error instanceof LockNotAcquiredError) throw new DependencyUnavailableError('The standby purchase decision is busy; retry shortly');
      throw error;
    }
  }

  private async replenishUnderLock(areaCode: string | undefined, reason: string): Promise<StandbyReport> {
    const counts = await this.numbers.countByLifecycle('standby');
    const decision = decideStandby(counts);
    if (decision.action === 'none') return report(counts, decision.reason, null);
    const [bought] = await this.purchases.request({ lifecycle: 'standby', areaCode: areaCode ?? this.config.inventory.areaCodes[0], quantity: 1, reason });
    this.logger.log(`No standby number ready or pending: buying standby number ${bought.id}`);
    return report(counts, null, bought);
  }
}

function report(counts: LifecycleCounts, reason: StandbyBlock | null, purchased: InventoryNumber | null): StandbyReport {
  return { action: purchased ? 'purchased' : 'none', reason, standbyReadyCount: counts.ready, standbyPendingCount: counts.pending, purchased };
}
