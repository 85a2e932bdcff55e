import { IsIn, IsInt, IsOptional, IsString, Length, Max, MaxLength, Min } from 'class-validator';
import { Lifecycle } from '@maskline/store';
import { IsAreaCode } from './area-code';
import { MultiLineText } from '../../common/http/text-policy';

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
