import { AttachResult, DetachResult } from '../attach/attach-number.service';
import { InventoryHealth } from '../capacity/inventory-health.service';
import { CapacityReport } from '../capacity/pool-capacity.service';
import { CapacityCheckAnswerDto, InventoryHealthAnswerDto, PoolFiguresDto } from '../dto/capacity-answer.dto';
import { AttachAnswerDto, DetachAnswerDto } from '../dto/sitter-number-answer.dto';
import { StandbyAnswerDto } from '../dto/standby-answer.dto';
import { StandbyReport } from '../standby/standby-keeper.service';
import { toNumberAnswer } from './number.presenter';

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

export function toAttachAnswer(r: AttachResult): AttachAnswerDto {
  return {
    success: true,
    path: r.path,
    sitter_id: r.sitter.id,
    sitter_status: r.sitter.status,
    reserved_number: r.number.status === 'ready' ? r.number.phoneNumber : null,
    number: toNumberAnswer(r.number),
  };
}

export function toDetachAnswer(r: DetachResult): DetachAnswerDto {
  return {
    success: true,
    action: r.action,
    reason: r.action === 'none' ? r.reason : null,
    sitter_id: r.sitter.id,
    sitter_status: r.sitter.status,
    closed_sessions: r.closedSessions,
    ...(r.action === 'detached' && { number: toNumberAnswer(r.number) }),
  };
}
