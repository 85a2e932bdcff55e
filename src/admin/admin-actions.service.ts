import { Injectable, Logger } from '@nestjs/common';
import { AppError } from '../common/http/app-errors';
import { PoolCapacityService } from '../inventory/capacity/pool-capacity.service';
import { NumberPurchaseService } from '../inventory/purchase/number-purchase.service';
import { NumberRetirementService } from '../inventory/retire/number-retirement.service';

export interface ActionOutcome {
  text: string;
  level: 'ok' | 'error';
}

/**
 * The dashboard's safe buttons, each the same service call as its API route
 * (POST /inventory/check-and-replenish, /numbers/:id/retry, /numbers/:id/release).
 * A refusal the operator can act on (409 in use, 429 cap, 404) comes back as
 * the notice shown on the page instead of a JSON error.
 */
@Injectable()
export class AdminActionsService {
  private readonly logger = new Logger(AdminActionsService.name);

  constructor(
    private readonly capacity: PoolCapacityService,
    private readonly purchases: NumberPurchaseService,
    private readonly retirement: NumberRetirementService,
  ) {}

  runCapacityCheck(): Promise<ActionOutcome> {
    return this.attempt('capacity check', async () => {
      const r = await this.capacity.check({ trigger: 'dashboard' });
      const rate = `${(r.utilizationRate * 100).toFixed(1)}%`;
      return r.action === 'purchased'
        ? `Capacity check: utilization ${rate}; buying ${r.purchased.length} pool number(s).`
        : `Capacity check: utilization ${rate}; nothing bought (${r.reason ?? 'not needed'}).`;
    });
  }

  retryPurchase(id: string): Promise<ActionOutcome> {
    return this.attempt(`retry of ${id}`, async () => {
      const n = await this.purchases.retry(id);
      return `Purchase ${n.id} queued again (status ${n.status}).`;
    });
  }

  releaseNumber(id: string): Promise<ActionOutcome> {
    return this.attempt(`release of ${id}`, async () => {
      const { number, alreadyReleased } = await this.retirement.release(id);
      return alreadyReleased ? `Number ${number.id} was already released.` : `Number ${number.id} released.`;
    });
  }

  private async attempt(what: string, run: () => Promise<string>): Promise<ActionOutcome> {
    try {
      const text = await run();
      this.logger.log(`Dashboard action: ${what}`);
      return { text, level: 'ok' };
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      return { text: `Not done (${what}): ${error.message}`, level: 'error' };
    }
  }
}
