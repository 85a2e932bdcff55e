import { Injectable } from '@nestjs/common';
import { AppConfig } from '@maskline/config';
import { LifecycleCounts, NumberRepository } from '@maskline/store';
import { PoolCooldownGuard } from '../redis/pool-cooldown.guard';
import { PoolFigures, utilizationRate } from '../rules/replenish-decision';
import { PoolCapacityService } from './pool-capacity.service';

export interface InventoryHealth extends PoolFigures {
  utilizationRate: number;
  threshold: number;
  thresholdMet: boolean;
  cooldownActive: boolean;
  cooldownUntil: Date | null;
  standby: LifecycleCounts;
  reserved: LifecycleCounts;
  checkedAt: Date;
}

/** The capacity monitor's figures without acting (GET /inventory/health). */
@Injectable()
export class InventoryHealthService {
  constructor(
    private readonly capacity: PoolCapacityService,
    private readonly numbers: NumberRepository,
    private readonly cooldown: PoolCooldownGuard,
    private readonly config: AppConfig,
  ) {}

  async health(): Promise<InventoryHealth> {
    const [figures, standby, reserved, guard] = await Promise.all([
      this.capacity.figures(),
      this.numbers.countByLifecycle('standby'),
      this.numbers.countByLifecycle('reserved'),
      this.cooldown.status(),
    ]);
    const rate = utilizationRate(figures.activeSessions, figures.readyPoolCount);
    const threshold = this.config.inventory.utilizationThreshold;
    return {
      ...figures,
      utilizationRate: rate,
      threshold,
      thresholdMet: rate >= threshold,
      cooldownActive: guard.active,
      cooldownUntil: guard.until,
      standby,
      reserved,
      checkedAt: new Date(),
    };
  }
}
