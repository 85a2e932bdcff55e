import { InventoryNumber } from '@maskline/store';
import { CapacityReport, InventoryHealth } from '../capacity/pool-capacity.service';
import { StandbyReport } from '../capacity/standby-keeper.service';
import { purchaseJobId } from '../purchase/number-purchase.service';
import { CapacityCheckAnswerDto, InventoryHealthAnswerDto, PoolFiguresDto } from './inventory.dto';
import { NumberAnswerDto, PurchaseAcceptedDto, StandbyAnswerDto } from './numbers.dto';

// Domain results → the snake_case answers Zapier maps (SPEC 8), for every inventory route.

/** a Number record, as every inventory answer shows it */
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

type Figures = Pick<CapacityReport, 'utilizationRate' | 'threshold' | 'readyPoolCount' | 'activeSessions' | 'pendingPoolCount' | 'cooldownUntil'>;

function toFigures(f: Figures): PoolFiguresDto {
  return {
    success: true,
    utilization_rate: f.utilizationRate,
    threshold: f.threshold,
    ready_pool_count: f.readyPoolCount,
    active_sessions: f.activeSessions,
    pending_pool_count: f.pendingPoolCount,
    cooldown_until: f.cooldownUntil?.toISOString() ?? null,
  };
}

export function toCapacityAnswer(r: CapacityReport): CapacityCheckAnswerDto {
  const [first] = r.purchased.map(toNumberAnswer);
  return {
    ...toFigures(r),
    action: r.action,
    reason: r.reason,
    ...(first && { number_inventory_id: first.number_inventory_id, status: 'pending' as const, job_id: first.job_id }),
    number_inventory_ids: r.purchased.map((n) => n.id),
  };
}

export function toHealthAnswer(h: InventoryHealth): InventoryHealthAnswerDto {
  return {
    ...toFigures(h),
    threshold_met: h.thresholdMet,
    cooldown_active: h.cooldownActive,
    standby_ready_count: h.standby.ready,
    standby_pending_count: h.standby.pending,
    reserved_ready_count: h.reserved.ready,
    reserved_pending_count: h.reserved.pending,
    timestamp: h.checkedAt.toISOString(),
  };
}

export function toStandbyAnswer(r: StandbyReport): StandbyAnswerDto {
  return {
    success: true,
    action: r.action,
    reason: r.reason,
    standby_ready_count: r.standbyReadyCount,
    standby_pending_count: r.standbyPendingCount,
    ...(r.purchased && { number_inventory_id: r.purchased.id, status: 'pending' as const }),
  };
}
