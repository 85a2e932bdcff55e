import { Injectable, Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { AppConfig } from '@maskline/config';
import { DistributedLock, LockNotAcquiredError } from '@maskline/redis';
import { AuditLog, InventoryNumber, LifecycleCounts, NumberRepository, SessionRepository } from '@maskline/store';
import { DependencyUnavailableError } from '../../common/http/app-errors';
import { NumberPurchaseService } from '../purchase/number-purchase.service';
import { PoolCooldown } from './pool-cooldown';
import { decideReplenish, PoolFigures, ReplenishBlock, ReplenishDecision, utilizationRate } from './replenish-decision';

export interface CapacityCheckOptions {
  areaCode?: string;
  quantity?: number;
  threshold?: number;
  cooldownHours?: number;
  /** who asked, for the audit trail */
  trigger: 'api' | 'schedule' | 'dashboard';
}

export interface CapacityReport extends PoolFigures {
  action: 'purchased' | 'none';
  reason: ReplenishBlock | null;
  utilizationRate: number;
  threshold: number;
  cooldownUntil: Date | null;
  /** the pending records of this purchase (empty when nothing was bought) */
  purchased: InventoryNumber[];
}

/** GET /inventory/health: the capacity monitor's figures without acting, plus standby and reserved counts */
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

/**
 * Serializes "is a pool purchase pending? then buy one" across instances, for
 * the capacity check and the relay's exhaustion purchase alike, so the two
 * never start a second pool purchase between them.
 */
@Injectable()
export class PoolPurchaseLock {
  constructor(private readonly lock: DistributedLock) {}

  async run<T>(fn: () => Promise<T>): Promise<T> {
    try {
      return await this.lock.withLock('inventory-pool-purchase', fn, { ttlMs: 30_000, waitMs: 20_000 });
    } catch (error) {
      if (error instanceof LockNotAcquiredError) throw new DependencyUnavailableError('The pool purchase decision is busy; retry shortly');
      throw error;
    }
  }
}

/**
 * Pool capacity monitor (seed Zap 4, now server-side): buys pool numbers when
 * utilization reaches the threshold, nothing is pending and the cooldown is
 * free. Any number of concurrent checks on any number of instances buy at
 * most once per cooldown window: the guard is taken atomically under the
 * pool purchase lock, after a fresh look at the figures.
 */
@Injectable()
export class PoolCapacityService {
  private readonly logger = new Logger(PoolCapacityService.name);

  constructor(
    private readonly numbers: NumberRepository,
    private readonly sessions: SessionRepository,
    private readonly purchases: NumberPurchaseService,
    private readonly cooldown: PoolCooldown,
    private readonly lock: PoolPurchaseLock,
    private readonly audit: AuditLog,
    private readonly config: AppConfig,
  ) {}

  async figures(): Promise<PoolFigures> {
    const [pool, activeSessions] = await Promise.all([this.numbers.countByLifecycle('pool'), this.sessions.countActive()]);
    return { readyPoolCount: pool.ready, pendingPoolCount: pool.pending, activeSessions };
  }

  /** the figures without acting (GET /inventory/health) */
  async health(): Promise<InventoryHealth> {
    const [figures, standby, reserved, guard] = await Promise.all([
      this.figures(),
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

  async check(options: CapacityCheckOptions): Promise<CapacityReport> {
    const threshold = options.threshold ?? this.config.inventory.utilizationThreshold;
    // Most concurrent calls stop here, on figures and guard read without the lock.
    const [figures, guard] = await Promise.all([this.figures(), this.cooldown.status()]);
    const first = decideReplenish(figures, threshold, !guard.active);
    if (first.action === 'none') return this.report(first, figures, threshold, guard.until);
    return this.lock.run(() => this.decideAndBuy(options, threshold));
  }

  private async decideAndBuy(options: CapacityCheckOptions, threshold: number): Promise<CapacityReport> {
    const figures = await this.figures();
    const decision = decideReplenish(figures, threshold, true);
    if (decision.action === 'none') return this.report(decision, figures, threshold, (await this.cooldown.status()).until);

    const claim = randomUUID();
    const cooldownMs = (options.cooldownHours ?? this.config.inventory.cooldownHours) * 3600_000;
    const taken = await this.cooldown.tryTake(claim, cooldownMs);
    if (!taken.taken) return this.report({ ...decision, action: 'none', reason: 'cooldown_active' }, figures, threshold, taken.until);

    const percent = Math.round(decision.utilizationRate * 1000) / 10;
    let purchased: InventoryNumber[];
    try {
      purchased = await this.purchases.request({
        lifecycle: 'pool',
        areaCode: options.areaCode ?? this.config.inventory.areaCodes[0],
        quantity: options.quantity ?? 1,
        reason: `Auto-scaling (utilization ${percent}%)`,
        beforeEnqueue: async (created) => void (await this.cooldown.assignHolders(claim, created.map((n) => n.id))),
      });
    } catch (error) {
      await this.cooldown.releaseClaim(claim).catch(() => undefined);
      throw error;
    }
    await this.audit.record({
      eventType: 'pool_purchase',
      category: 'inventory',
      details: { trigger: options.trigger, utilization_rate: decision.utilizationRate, threshold, ...snakeFigures(figures), number_inventory_ids: purchased.map((n) => n.id) },
      numberId: purchased[0]?.id ?? null,
    });
    this.logger.log(`Pool utilization ${percent}% ≥ ${threshold * 100}%: buying ${purchased.length} pool number(s)`);
    return this.report(decision, figures, threshold, taken.until, purchased);
  }

  private report(decision: ReplenishDecision, figures: PoolFigures, threshold: number, cooldownUntil: Date | null, purchased: InventoryNumber[] = []): CapacityReport {
    return {
      ...figures,
      action: decision.action === 'purchase' ? 'purchased' : 'none',
      reason: decision.action === 'none' ? decision.reason : null,
      utilizationRate: decision.utilizationRate,
      threshold,
      cooldownUntil,
      purchased,
    };
  }
}

function snakeFigures(f: PoolFigures) {
  return { ready_pool_count: f.readyPoolCount, pending_pool_count: f.pendingPoolCount, active_sessions: f.activeSessions };
}
