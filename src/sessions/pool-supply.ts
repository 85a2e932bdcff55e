import { Injectable, Logger } from '@nestjs/common';
import { LimitReachedError } from '../common/http/app-errors';
import { PoolExhaustionService } from '../inventory/capacity/pool-exhaustion.service';

/**
 * What sessions need from inventory when no pool number is free for a sitter
 * (SPEC 3.4): one more pool number, bought now. The inventory feature binds
 * it; the request is deduplicated there against pending pool purchases, and
 * the 72-hour cooldown does not apply to it.
 */
export abstract class PoolSupply {
  abstract requestExhaustionPurchase(context: { sitterId: string }): Promise<void>;
}

/** PoolSupply bound to inventory's exhaustion purchase. */
@Injectable()
export class InventoryPoolSupply extends PoolSupply {
  private readonly logger = new Logger(InventoryPoolSupply.name);

  constructor(private readonly exhaustion: PoolExhaustionService) {
    super();
  }

  async requestExhaustionPurchase(context: { sitterId: string }): Promise<void> {
    try {
      const result = await this.exhaustion.requestPurchase({ sitterId: context.sitterId });
      if (result.outcome === 'already_pending') this.logger.log(`Pool exhausted for sitter ${context.sitterId}; a pool purchase is already pending`);
    } catch (err) {
      // The daily cap stops the purchase, not the relay: held messages wait and ask again on their next re-check.
      if (err instanceof LimitReachedError) this.logger.error(`Pool exhausted but the daily purchase cap is reached: ${err.message}`);
      else throw err;
    }
  }
}
