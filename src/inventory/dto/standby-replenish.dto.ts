import { IsOptional } from 'class-validator';
import { IsAreaCode } from './area-code';

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
