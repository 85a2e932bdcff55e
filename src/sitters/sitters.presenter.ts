import { toNumberAnswer } from '../inventory/http/inventory.presenter';
import { AttachResult, DetachResult } from './sitter-numbers.service';
import { SitterView } from './sitters.service';
import { AttachAnswerDto, DetachAnswerDto, SitterAnswerDto } from './sitters.dto';

// Domain results → the snake_case answers of /sitters, /attach-number and /detach-number (SPEC 8).

export function toSitterAnswer({ sitter, reserved }: SitterView): SitterAnswerDto {
  return {
    success: true,
    sitter_id: sitter.id,
    name: sitter.name,
    phone: sitter.phone,
    email: sitter.email,
    status: sitter.status,
    reserved_number: sitter.reservedNumber,
    reserved_number_inventory_id: reserved?.id ?? null,
    reserved_number_status: reserved ? (reserved.status as 'pending' | 'ready') : null,
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
