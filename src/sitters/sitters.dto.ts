import { Transform } from 'class-transformer';
import { IsEmail, IsNotEmpty, IsOptional, IsString, Length, MaxLength } from 'class-validator';
import { IsAreaCode, NumberAnswerDto } from '../inventory/http/numbers.dto';

const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);

/** POST /sitters: the "Add New Sitter" form's data */
export class UpsertSitterDto {
  /** @example "Sam Sitter" */
  @Transform(trim)
  @IsString()
  @IsNotEmpty({ message: 'name is required' })
  @MaxLength(200)
  name!: string;

  /**
   * The sitter's real phone (any US format; stored as E.164). A sitter is found again by it.
   * @example "(720) 555-0142"
   */
  @Transform(trim)
  @IsString()
  @IsNotEmpty({ message: 'phone is required' })
  @MaxLength(40)
  phone!: string;

  /** @example "sam@example.com" */
  @Transform(({ value }) => (typeof value === 'string' && value.trim() === '' ? undefined : trim({ value })))
  @IsOptional()
  @IsEmail({}, { message: 'email must be an email address' })
  @MaxLength(254)
  email?: string;
}

/** A sitter (SPEC 8). */
export class SitterAnswerDto {
  /** @example true */
  success!: boolean;
  /**
   * With the Airtable driver, the Sitters record id (recXXXXXXXXXXXXXX)
   * @example "5b0c9b5e-8f1d-4a53-9a43-2f0a3a6f2c11"
   */
  sitter_id!: string;
  /** @example "Sam Sitter" */
  name!: string;
  /** @example "+17205550142" */
  phone!: string;
  /** @example "sam@example.com" */
  email!: string | null;
  /**
   * `pending` (no number yet), `active` or `inactive`
   * @example "active"
   */
  status!: 'pending' | 'active' | 'inactive';
  /**
   * The masked number this sitter's clients text; null until attached
   * @example "+13035550123"
   */
  reserved_number!: string | null;
  /**
   * The Number record of the reserved number (pending while being bought)
   * @example "0b6f4f0e-3c1e-4d7a-9a55-0c2b7f8e9d11"
   */
  reserved_number_inventory_id!: string | null;
  /** @example "ready" */
  reserved_number_status!: 'pending' | 'ready' | null;
}

/** POST /sitters */
export class SitterUpsertAnswerDto extends SitterAnswerDto {
  /** @example "created" */
  action!: 'created' | 'updated';
}

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
