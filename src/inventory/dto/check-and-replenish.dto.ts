import { IsIn, IsInt, IsNumber, IsOptional, Max, Min } from 'class-validator';
import { IsAreaCode } from './area-code';

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
