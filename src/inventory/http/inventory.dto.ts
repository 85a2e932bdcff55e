import { IsIn, IsInt, IsNumber, IsOptional, Max, Min } from 'class-validator';
import { IsAreaCode } from './numbers.dto';

// Requests and answers of /inventory/* (InventoryController).

/** POST /inventory/check-and-replenish (every field optional; the configured defaults apply) */
export class CheckAndReplenishDto {
  /**
   * Only `pool` is monitored
   * @example "pool"
   */
  @IsOptional()
  @IsIn(['pool'], { message: 'lifecycle must be "pool": only the pool is monitored' })
  lifecycle?: 'pool';

  /**
   * Area code of a purchase, if one is made (default: first of AREA_CODES)
   * @example "303"
   */
  @IsOptional()
  @IsAreaCode()
  area_code?: string;

  /**
   * Numbers to buy when the rules allow it (default 1)
   * @example 1
   */
  @IsOptional()
  @IsInt({ message: 'quantity must be a whole number from 1 to 50' })
  @Min(1, { message: 'quantity must be a whole number from 1 to 50' })
  @Max(50, { message: 'quantity must be a whole number from 1 to 50' })
  quantity?: number;

  /**
   * Utilization that triggers a purchase (default POOL_UTILIZATION_THRESHOLD, 0.87)
   * @example 0.87
   */
  @IsOptional()
  @IsNumber({}, { message: 'threshold must be a number such as 0.87' })
  @Min(0.01)
  @Max(10)
  threshold?: number;

  /**
   * Cooldown taken by a purchase made by this call (default POOL_COOLDOWN_HOURS, 72)
   * @example 72
   */
  @IsOptional()
  @IsNumber({}, { message: 'cooldown_hours must be a number of hours' })
  @Min(0)
  @Max(24 * 365)
  cooldown_hours?: number;
}

/** Pool figures shared by the check and the health answer (seed Zap 4, steps 1-4). */
export class PoolFiguresDto {
  /** @example true */
  success!: boolean;
  /**
   * Active sessions / ready pool numbers; 1.0 when no pool number is ready
   * @example 0.9
   */
  utilization_rate!: number;
  /** @example 0.87 */
  threshold!: number;
  /** @example 10 */
  ready_pool_count!: number;
  /** @example 9 */
  active_sessions!: number;
  /** @example 0 */
  pending_pool_count!: number;
  /**
   * End of the purchase cooldown; null when free
   * @example null
   */
  cooldown_until!: string | null;
}

/** POST /inventory/check-and-replenish */
export class CapacityCheckAnswerDto extends PoolFiguresDto {
  /** @example "purchased" */
  action!: 'purchased' | 'none';
  /**
   * Why nothing was bought: `below_threshold`, `pending_exists` or `cooldown_active`; null after a purchase
   * @example null
   */
  reason!: 'below_threshold' | 'pending_exists' | 'cooldown_active' | null;
  /**
   * The record being bought (first one when quantity > 1)
   * @example "0b6f4f0e-3c1e-4d7a-9a55-0c2b7f8e9d11"
   */
  number_inventory_id?: string;
  /** @example "pending" */
  status?: 'pending';
  /** @example "purchase-0b6f4f0e-3c1e-4d7a-9a55-0c2b7f8e9d11" */
  job_id?: string;
  /** @example ["0b6f4f0e-3c1e-4d7a-9a55-0c2b7f8e9d11"] */
  number_inventory_ids!: string[];
}

/** GET /inventory/health */
export class InventoryHealthAnswerDto extends PoolFiguresDto {
  /** @example true */
  threshold_met!: boolean;
  /** @example false */
  cooldown_active!: boolean;
  /** @example 1 */
  standby_ready_count!: number;
  /** @example 0 */
  standby_pending_count!: number;
  /** @example 34 */
  reserved_ready_count!: number;
  /** @example 0 */
  reserved_pending_count!: number;
  /** @example "2025-03-01T12:00:00.000Z" */
  timestamp!: string;
}
