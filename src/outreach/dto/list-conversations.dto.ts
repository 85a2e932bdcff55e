import { Transform } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';
import { OutreachStatus } from '../outreach-conversations.port';
import { IsE164Phone, IsOutreachStatus, IsUuidField } from './outreach-fields';

/** GET /outreach/conversations query */
export class ListConversationsDto {
  /** @example "7d0f3a52-2c4b-4f7e-9a61-0e8b5c3d2f10" */
  @IsUuidField('tenant_id')
  tenant_id!: string;

  /** @example "0b6f6c2e-3f0a-4c8e-9d3b-5a1e2f3c4d5e" */
  @IsOptional()
  @IsUuidField('practice_id')
  practice_id?: string;

  /** @example "+17205550123" */
  @IsOptional()
  @IsE164Phone('patient_phone')
  patient_phone?: string;

  /** @example "active" */
  @IsOptional()
  @IsOutreachStatus()
  status?: OutreachStatus;

  /**
   * Page size, 1 to 200 (default 50)
   * @example 50
   */
  @IsOptional()
  @Transform(({ obj, key }) => (typeof obj[key] === 'string' && /^\d{1,4}$/.test(obj[key]) ? Number(obj[key]) : obj[key]))
  @IsInt({ message: 'limit must be a whole number from 1 to 200' })
  @Min(1, { message: 'limit must be a whole number from 1 to 200' })
  @Max(200, { message: 'limit must be a whole number from 1 to 200' })
  limit?: number;

  /**
   * The previous page's next_cursor
   * @example "5a7c1e9b-3d2f-4b6a-8c0e-1f2a3b4c5d6e"
   */
  @IsOptional()
  @IsUuidField('cursor')
  cursor?: string;
}
