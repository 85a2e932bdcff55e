import { InventoryNumber } from '@maskline/store';
import { NumberAnswerDto, PurchaseAcceptedDto } from '../dto/number-answer.dto';
import { purchaseJobId } from '../purchase/purchase-job.queue';

/** domain record → the snake_case answer Zapier maps (SPEC 8) */
export function toNumberAnswer(n: InventoryNumber): NumberAnswerDto {
  return {
    number_inventory_id: n.id,
    phone_number: n.phoneNumber,
    lifecycle: n.lifecycle,
    status: n.status,
    area_code: n.areaCode,
    twilio_sid: n.twilioSid,
    sitter_id: n.sitterId,
    purchased_at: n.purchasedAt?.toISOString() ?? null,
    purchase_reason: n.purchaseReason,
    error_code: n.errorCode,
    error_message: n.errorMessage,
    // the job id is derived from the record, so it is known before the worker writes it
    job_id: n.jobId ?? purchaseJobId(n.id),
    created_at: n.createdAt.toISOString(),
  };
}

export function toPurchaseAccepted(created: InventoryNumber[]): PurchaseAcceptedDto {
  const numbers = created.map(toNumberAnswer);
  return { success: true, quantity: numbers.length, number_inventory_id: numbers[0].number_inventory_id, status: 'pending', phone_number: null, job_id: numbers[0].job_id, numbers };
}
