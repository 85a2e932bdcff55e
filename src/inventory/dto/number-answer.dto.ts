import { Lifecycle, NumberStatus } from '@maskline/store';

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
