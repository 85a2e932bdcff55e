import { IsOptional } from 'class-validator';
import { IsBigintId, IsConversationSid, IsE164Phone, IsBoundedText, IsUuidField } from './outreach-fields';

/** POST /outreach/conversations: the request contract of SPEC section 7 (seed 004). */
export class OpenConversationDto {
  /** @example "7d0f3a52-2c4b-4f7e-9a61-0e8b5c3d2f10" */
  @IsUuidField('tenant_id')
  tenant_id!: string;

  /**
   * Conflicts are decided within one practice; other practices of the tenant never conflict
   * @example "0b6f6c2e-3f0a-4c8e-9d3b-5a1e2f3c4d5e"
   */
  @IsUuidField('practice_id')
  practice_id!: string;

  /**
   * BIGINT: a JSON number up to 2^53, or a string of digits up to 9223372036854775807 (answers carry it as a string)
   * @example "4200000000000001"
   */
  @IsBigintId()
  coordinator_sax_id!: string;

  /**
   * E.164, at most 20 characters
   * @example "+17205550123"
   */
  @IsE164Phone('patient_phone')
  patient_phone!: string;

  /**
   * At most 255 characters; the Twilio conversation's friendly name (default: the patient phone)
   * @example "Jane D. follow-up"
   */
  @IsOptional()
  @IsBoundedText('friendly_name', 255)
  friendly_name?: string;

  /**
   * An existing Twilio conversation to use: given, none is created (and it is never deleted)
   * @example "CH0123456789abcdef0123456789abcdef"
   */
  @IsOptional()
  @IsConversationSid('twilio_sid')
  twilio_sid?: string;

  /**
   * BIGINT like coordinator_sax_id; default coordinator_sax_id
   * @example "4200000000000001"
   */
  @IsOptional()
  @IsBigintId()
  created_by?: string;
}
