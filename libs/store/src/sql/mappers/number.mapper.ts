import { InventoryNumber } from '../../domain';
import { NumberRow } from '../schema';

export function toInventoryNumber(row: NumberRow): InventoryNumber {
  return {
    id: row.id,
    phoneNumber: row.phoneNumber,
    twilioSid: row.twilioSid,
    lifecycle: row.lifecycle,
    status: row.status,
    sitterId: row.sitterId,
    areaCode: row.areaCode,
    purchasedAt: row.purchasedAt,
    purchaseReason: row.purchaseReason,
    purchaseToken: row.purchaseToken,
    verificationResult: row.verificationResult,
    errorCode: row.errorCode,
    errorMessage: row.errorMessage,
    jobId: row.jobId,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}
