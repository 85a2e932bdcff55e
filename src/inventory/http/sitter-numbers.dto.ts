import { IsNotEmpty, IsOptional, IsString, Length } from 'class-validator';
import { IsAreaCode, NumberAnswerDto } from './numbers.dto';

// Requests and answers of /attach-number and /detach-number (SitterNumbersController).

/** POST /detach-number */
export class DetachNumberDto {
  /**
   * The sitter, as POST /sitters answered it
   * @example "5b0c9b5e-8f1d-4a53-9a43-2f0a3a6f2c11"
   */
  @IsString()
  @IsNotEmpty({ message: 'sitter_id is required' })
  @Length(1, 64)
  sitter_id!: string;
}

/** POST /attach-number */
export class AttachNumberDto extends DetachNumberDto {
  /**
   * Area code of a purchase when no standby number is ready (default: first of AREA_CODES)
   * @example "303"
   */
  @IsOptional()
  @IsAreaCode()
  area_code?: string;
}

/** POST /attach-number */
export class AttachAnswerDto {
  /** @example true */
  success!: boolean;
  /**
   * `A` (a standby number was handed over), `B` (a reserved number is being bought) or `existing` (the sitter already had one)
   * @example "A"
   */
  path!: 'A' | 'B' | 'existing';
  /** @example "5b0c9b5e-8f1d-4a53-9a43-2f0a3a6f2c11" */
  sitter_id!: string;
  /** @example "active" */
  sitter_status!: string;
  /**
   * The number clients text; null while it is being bought (path B)
   * @example "+13035550123"
   */
  reserved_number!: string | null;
  number!: NumberAnswerDto;
}

/** POST /detach-number */
export class DetachAnswerDto {
  /** @example true */
  success!: boolean;
  /**
   * `detached`, or `none` when the sitter had no reserved number (a repeat)
   * @example "detached"
   */
  action!: 'detached' | 'none';
  /** @example null */
  reason!: 'no_reserved_number' | null;
  /** @example "5b0c9b5e-8f1d-4a53-9a43-2f0a3a6f2c11" */
  sitter_id!: string;
  /** @example "inactive" */
  sitter_status!: string;
  /** @example 2 */
  closed_sessions!: number;
  /** The number, back in standby */
  number?: NumberAnswerDto;
}
