import { applyDecorators } from '@nestjs/common';
import { IsIn, IsInt, IsOptional, IsString, Length, Matches, Max, MaxLength, Min } from 'class-validator';
import { Lifecycle, NumberStatus } from '@maskline/store';
import { MultiLineText } from '../../common/http/text-policy';

// Requests and answers of /numbers/* (NumbersController); the Number answer is shared by the other inventory routes.

/** A NANP geographic area code as Twilio's AreaCode search takes it. */
export const IsAreaCode = () =>
  applyDecorators(IsString({ message: 'area_code must be a 3-digit US area code such as 303' }), Matches(/^[2-9]\d{2}$/, { message: 'area_code must be a 3-digit US area code such as 303' }));

export const LIFECYCLES: Lifecycle[] = ['pool', 'reserved', 'standby'];

/** POST /numbers/purchase */
export class PurchaseNumbersDto {
  /**
   * `pool` (shared), `reserved` (one sitter's number) or `standby` (waiting for a new sitter)
   * @example "pool"
   */
  @IsIn(LIFECYCLES, { message: 'lifecycle must be one of pool, reserved, standby' })
  lifecycle!: Lifecycle;

  /**
   * Preferred area code; the configured AREA_CODES are tried next when it has nothing for sale
   * @example "303"
   */
  @IsAreaCode()
  area_code!: string;

  /**
   * How many numbers to buy, 1 to 50 (default 1)
   * @example 1
   */
  @IsOptional()
  @IsInt({ message: 'quantity must be a whole number from 1 to 50' })
  @Min(1, { message: 'quantity must be a whole number from 1 to 50' })
  @Max(50, { message: 'quantity must be a whole number from 1 to 50' })
  quantity?: number;

  /**
   * Reserved purchases only: the sitter who gets the number (attached and activated once bought)
   * @example "5b0c9b5e-8f1d-4a53-9a43-2f0a3a6f2c11"
   */
  @IsOptional()
  @IsString()
  @Length(1, 64)
  sitter_id?: string;

  /**
   * Free text kept on the record (purchase reason)
   * @example "Initial stock"
   */
  @IsOptional()
  @IsString()
  @MaxLength(200)
  @MultiLineText()
  reason?: string;
}

/** POST /numbers/standby-replenish */
export class StandbyReplenishDto {
  /**
   * Area code of a purchase, if one is made (default: first of AREA_CODES)
   * @example "303"
   */
  @IsOptional()
  @IsAreaCode()
  area_code?: string;
}

/** A Number inventory record (SPEC 8). */
export class NumberAnswerDto {
  /** @example "0b6f4f0e-3c1e-4d7a-9a55-0c2b7f8e9d11" */
  number_inventory_id!: string;
  /**
   * E.164; null until bought
   * @example "+13035550123"
   */
  phone_number!: string | null;
  /** @example "pool" */
  lifecycle!: Lifecycle;
  /**
   * `pending` (being bought), `ready`, `failed` (see error_code) or `released`
   * @example "pending"
   */
  status!: NumberStatus;
  /**
   * Area code asked for; a fallback may have been bought
   * @example "303"
   */
  area_code!: string;
  /** @example "PN0123456789abcdef0123456789abcdef" */
  twilio_sid!: string | null;
  /** @example null */
  sitter_id!: string | null;
  /** @example "2025-03-01T12:00:00.000Z" */
  purchased_at!: string | null;
  /** @example "Auto-scaling (utilization 90%)" */
  purchase_reason!: string | null;
  /**
   * Twilio error code of a failed purchase (21452: nothing for sale in the area codes)
   * @example null
   */
  error_code!: string | null;
  /** @example null */
  error_message!: string | null;
  /**
   * BullMQ job buying it (see /admin/queues)
   * @example "purchase-0b6f4f0e-3c1e-4d7a-9a55-0c2b7f8e9d11"
   */
  job_id!: string;
  /** @example "2025-03-01T11:59:58.000Z" */
  created_at!: string;
}

/** GET /numbers/:id, POST /numbers/:id/retry */
export class NumberResultDto extends NumberAnswerDto {
  /** @example true */
  success!: boolean;
}

/** POST /numbers/:id/release */
export class NumberReleasedDto extends NumberResultDto {
  /**
   * True when the number had been released before this call (nothing was done)
   * @example false
   */
  already_released!: boolean;
}

/** POST /numbers/purchase: accepted, bought in the background (poll GET /numbers/:id) */
export class PurchaseAcceptedDto {
  /** @example true */
  success!: boolean;
  /** @example 1 */
  quantity!: number;
  /**
   * First record's id (handy for single purchases in Zapier)
   * @example "0b6f4f0e-3c1e-4d7a-9a55-0c2b7f8e9d11"
   */
  number_inventory_id!: string;
  /** @example "pending" */
  status!: 'pending';
  /**
   * Always null here: the number is bought in the background
   * @example null
   */
  phone_number!: string | null;
  /** @example "purchase-0b6f4f0e-3c1e-4d7a-9a55-0c2b7f8e9d11" */
  job_id!: string;
  /** Every pending record */
  numbers!: NumberAnswerDto[];
}

/** POST /numbers/standby-replenish */
export class StandbyAnswerDto {
  /** @example true */
  success!: boolean;
  /** @example "none" */
  action!: 'purchased' | 'none';
  /**
   * Why nothing was bought: `standby_available` or `pending_exists`
   * @example "standby_available"
   */
  reason!: 'standby_available' | 'pending_exists' | null;
  /** @example 1 */
  standby_ready_count!: number;
  /** @example 0 */
  standby_pending_count!: number;
  /** @example null */
  number_inventory_id?: string;
  /** @example "pending" */
  status?: 'pending';
}
