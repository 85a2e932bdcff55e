import { Transform, TransformFnParams } from 'class-transformer';
import { IsISO8601, IsNotEmpty, IsOptional, IsString, MaxLength } from 'class-validator';
import { MultiLineText } from '../common/http/text-policy';

/**
 * Zapier and Time to Pet send strings, sometimes numbers (ids, phones);
 * a blank value means "absent". Anything else (an object, an array) is kept
 * as it came so the string check fails and names the field. Reads the raw
 * value because implicit conversion would already have made "[object Object]".
 */
function textField({ obj, key }: TransformFnParams): unknown {
  const raw: unknown = obj[key];
  if (typeof raw === 'number' && Number.isFinite(raw)) return String(raw);
  if (typeof raw === 'string') return raw.trim() === '' ? undefined : raw.trim();
  return raw === null ? undefined : raw;
}

/** The Time to Pet client record, as Zap 1 ("Client Sync") sends it. */
export class SyncClientDto {
  /**
   * Time to Pet client ID: the key of the upsert
   * @example "48213"
   */
  @Transform(textField)
  @IsString()
  @IsNotEmpty()
  @MaxLength(64)
  client_id!: string;

  /** @example "Alice" */
  @Transform(textField)
  @IsOptional()
  @IsString()
  @MaxLength(1000)
  first_name?: string;

  /** @example "Smith" */
  @Transform(textField)
  @IsOptional()
  @IsString()
  @MaxLength(1000)
  last_name?: string;

  /** @example "alice@example.com" */
  @Transform(textField)
  @IsOptional()
  @IsString()
  @MaxLength(320)
  email?: string;

  /**
   * Any common US format; stored as E.164. Missing or invalid: the sync is skipped (200, action "skipped")
   * @example "(303) 555-0112"
   */
  @Transform(textField)
  @IsOptional()
  @IsString()
  @MaxLength(64)
  phone?: string;

  /** @example "1200 Larimer St, Denver, CO 80204" */
  @Transform(textField)
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  @MultiLineText()
  address?: string;

  /** @example "2024-01-15T10:30:00Z" */
  @Transform(textField)
  @IsOptional()
  @IsISO8601()
  created_at?: string;

  /** @example "2025-02-01T08:00:00Z" */
  @Transform(textField)
  @IsOptional()
  @IsISO8601()
  updated_at?: string;
}

/** A client of the business (SPEC 2). */
export class ClientDto {
  /** @example "5b0c9b5e-8f1d-4a53-9a43-2f0a3a6f2c11" */
  client_id!: string;
  /**
   * Shown to sitters as the message prefix; null until Time to Pet syncs it
   * @example "Alice Smith"
   */
  name!: string | null;
  /** @example "+13035550112" */
  phone!: string;
  /** @example "48213" */
  time_to_pet_id!: string | null;
  /**
   * `sync` (from Time to Pet) or `first_contact` (created by the client's first text)
   * @example "sync"
   */
  source!: 'sync' | 'first_contact';
  /** @example "alice@example.com" */
  email!: string | null;
  /**
   * The sitter this client last texted
   * @example null
   */
  sitter_id!: string | null;
  /** @example null */
  last_active_at!: string | null;
  /** @example "2025-02-20T09:00:00.000Z" */
  created_at!: string;
  /** @example "2025-02-20T09:00:00.000Z" */
  updated_at!: string;
}

/** POST /clients/sync answer when the record was written. */
export class ClientSyncResultDto extends ClientDto {
  /** @example true */
  success!: boolean;
  /**
   * `created`, `updated` (same Time to Pet ID), or `merged` (into the client a first text created)
   * @example "merged"
   */
  action!: 'created' | 'updated' | 'merged';
}

/** POST /clients/sync answer when nothing was written (Zapier shows it as filtered, not failed). */
export class ClientSyncSkippedDto {
  /** @example true */
  success!: boolean;
  /** @example "skipped" */
  action!: 'skipped';
  /**
   * `missing_phone` or `invalid_phone`
   * @example "invalid_phone"
   */
  reason!: 'missing_phone' | 'invalid_phone';
  /** @example "48213" */
  time_to_pet_id!: string;
}
