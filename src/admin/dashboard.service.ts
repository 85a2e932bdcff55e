import { Injectable } from '@nestjs/common';
import { LifecycleCounts, NumberRepository, SitterRepository } from '@maskline/store';
import { maskPhone } from '../common/phone/phone';
import { DeliveryFailureService } from '../intercept/delivery/delivery-failure.service';
import { HeldRelayMessages } from '../intercept/pool-hold/held-relay-messages';
import { PoolCapacityService } from '../inventory/capacity/pool-capacity.service';
import { PurchaseBudget } from '../inventory/purchase/purchase-budget';
import { OpsSamples } from './ops-samples';

const RECENT_PURCHASES = 10;
const FAILURES_SHOWN = 20;
const DAY_MS = 24 * 3600_000;

/** What the dashboard shows and polls (GET /admin/summary.json), snake_case like every answer. */
export interface DashboardSummary {
  generated_at: string;
  pool: {
    utilization_rate: number;
    threshold: number;
    threshold_met: boolean;
    active_sessions: number;
  };
  sitters_without_reserved_number: number;
  numbers: Record<'pool' | 'standby' | 'reserved', LifecycleCounts>;
  cooldown: { active: boolean; until: string | null };
  purchase_cap: { limit: number; used: number; left: number };
  held_messages: number;
  recent_purchases: Array<{ number_inventory_id: string; lifecycle: string; status: string; phone: string; area_code: string; error_code: string | null; created_at: string }>;
  delivery_failures_24h: { count: number; shown: Array<{ message_sid: string; failed_at: string; error_code: string | null; meaning: string; direction: string; client_label: string | null; retry_state: string }> };
  history: Array<{ at: string; utilization_rate: number; active_sessions: number }>;
}

/**
 * The ops dashboard's figures, read fresh on each poll from the services
 * that own them (a few store counts and Redis reads). Phones are masked even
 * here, as in every other ops view.
 */
@Injectable()
export class DashboardService {
  constructor(
    private readonly capacity: PoolCapacityService,
    private readonly numbers: NumberRepository,
    private readonly sitters: SitterRepository,
    private readonly budget: PurchaseBudget,
    private readonly failures: DeliveryFailureService,
    private readonly held: HeldRelayMessages,
    private readonly samples: OpsSamples,
  ) {}

  async summary(): Promise<DashboardSummary> {
    const [health, pool, cap, heldCount, recent, failures, history, withoutNumber] = await Promise.all([
      this.capacity.health(),
      this.numbers.countByLifecycle('pool'),
      this.budget.usage(),
      this.held.heldCount(),
      this.numbers.listRecent(RECENT_PURCHASES),
      this.failures.listSince(new Date(Date.now() - DAY_MS), 500),
      this.samples.list(),
      this.sitters.countWithoutReservedNumber(),
    ]);
    return {
      generated_at: health.checkedAt.toISOString(),
      pool: { utilization_rate: health.utilizationRate, threshold: health.threshold, threshold_met: health.thresholdMet, active_sessions: health.activeSessions },
      numbers: { pool, standby: health.standby, reserved: health.reserved },
      sitters_without_reserved_number: withoutNumber,
      cooldown: { active: health.cooldownActive, until: health.cooldownUntil?.toISOString() ?? null },
      purchase_cap: cap,
      held_messages: heldCount,
      recent_purchases: recent.map((n) => ({
        number_inventory_id: n.id,
        lifecycle: n.lifecycle,
        status: n.status,
        phone: maskPhone(n.phoneNumber),
        area_code: n.areaCode,
        error_code: n.errorCode,
        created_at: n.createdAt.toISOString(),
      })),
      delivery_failures_24h: {
        count: failures.length,
        // newest first on the page
        shown: failures
          .slice(-FAILURES_SHOWN)
          .reverse()
          .map((f) => ({ message_sid: f.messageSid, failed_at: f.failedAt, error_code: f.errorCode, meaning: f.meaning, direction: f.direction, client_label: f.clientLabel, retry_state: f.retryState })),
      },
      history: history.map((s) => ({ at: s.at, utilization_rate: s.utilizationRate, active_sessions: s.activeSessions })),
    };
  }
}
