import { Injectable, Logger } from '@nestjs/common';
import { AppConfig } from '@maskline/config';
import { AuditLog, InventoryNumber, NumberRepository } from '@maskline/store';
import { NumberPurchaseService } from '../purchase/number-purchase.service';
import { PoolPurchaseLock } from './pool-capacity.service';

export interface ExhaustionPurchaseContext {
  /** the sitter who found no free pool number (audit trail) */
  sitterId?: string | null;
  /** defaults to the first of AREA_CODES */
  areaCode?: string;
}

export type ExhaustionPurchaseResult =
  | { outcome: 'queued'; number: InventoryNumber }
  | { outcome: 'already_pending'; pendingPoolCount: number };

/**
 * For the relay (SPEC 3.4): a sitter has no free pool number, so one is
 * bought at once. Deduplicated against any pending pool purchase (under the
 * same lock as the capacity check); skips the utilization rule and the
 * cooldown, which govern utilization-driven purchases only. The daily cap
 * still applies (LimitReachedError).
 */
@Injectable()
export class PoolExhaustionService {
  private readonly logger = new Logger(PoolExhaustionService.name);

  constructor(
    private readonly numbers: NumberRepository,
    private readonly purchases: NumberPurchaseService,
    private readonly lock: PoolPurchaseLock,
    private readonly audit: AuditLog,
    private readonly config: AppConfig,
  ) {}

  async requestPurchase(context: ExhaustionPurchaseContext = {}): Promise<ExhaustionPurchaseResult> {
    return this.lock.run(async () => {
      const pool = await this.numbers.countByLifecycle('pool');
      if (pool.pending > 0) return { outcome: 'already_pending', pendingPoolCount: pool.pending };
      const [number] = await this.purchases.request({
        lifecycle: 'pool',
        areaCode: context.areaCode ?? this.config.inventory.areaCodes[0],
        quantity: 1,
        reason: 'Pool exhausted: a sitter had no free pool number',
      });
      await this.audit.record({
        eventType: 'pool_purchase',
        category: 'inventory',
        severity: 'warning',
        details: { trigger: 'pool_exhausted', ready_pool_count: pool.ready },
        numberId: number.id,
        sitterId: context.sitterId ?? null,
      });
      this.logger.warn(`Pool exhausted: buying pool number ${number.id} at once`);
      return { outcome: 'queued', number };
    });
  }
}
