import { SitterAnswerDto } from './dto/sitter-answer.dto';
import { SitterView } from './sitters.service';

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
