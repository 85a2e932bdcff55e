import { OutreachStatus } from '../outreach-conversations.port';

/** One outreach conversation, as every outreach route answers it. */
export class ConversationDto {
  /** @example "5a7c1e9b-3d2f-4b6a-8c0e-1f2a3b4c5d6e" */
  conversation_id!: string;
  /** @example "7d0f3a52-2c4b-4f7e-9a61-0e8b5c3d2f10" */
  tenant_id!: string;
  /** @example "0b6f6c2e-3f0a-4c8e-9d3b-5a1e2f3c4d5e" */
  practice_id!: string;
  /**
   * BIGINT as a string of digits
   * @example "4200000000000001"
   */
  coordinator_sax_id!: string;
  /** @example "+17205550123" */
  patient_phone!: string;
  /** @example "Jane D. follow-up" */
  friendly_name!: string | null;
  /** @example "CH0123456789abcdef0123456789abcdef" */
  twilio_sid!: string;
  /** @example "active" */
  status!: OutreachStatus;
  /**
   * BIGINT as a string of digits
   * @example "4200000000000001"
   */
  created_by!: string;
  /** @example "2026-03-01T15:04:05.000Z" */
  created_at!: string;
  /** @example "2026-03-01T15:04:05.000Z" */
  updated_at!: string;
}

/** POST /outreach/conversations answer (201 created, 200 existing or reactivated). */
export class OpenedConversationDto extends ConversationDto {
  /** @example true */
  success!: boolean;
  /**
   * `created` (201), `existing` (200: this coordinator's active conversation) or `reactivated` (200: an archived one, with its Twilio conversation)
   * @example "created"
   */
  action!: 'created' | 'existing' | 'reactivated';
  /** @example false */
  reactivated!: boolean;
}

/** GET /outreach/conversations answer */
export class ConversationListDto {
  conversations!: ConversationDto[];
  /**
   * Pass as `cursor` for the next page; null on the last page
   * @example null
   */
  next_cursor!: string | null;
}
