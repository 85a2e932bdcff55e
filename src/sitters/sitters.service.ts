import { Injectable } from '@nestjs/common';
import { InventoryNumber, NumberRepository, Sitter, SitterRepository } from '@maskline/store';
import { NotFoundError, ValidationFailedError } from '../common/http/app-errors';
import { toE164 } from '../common/phone/phone';

export interface SitterView {
  sitter: Sitter;
  reserved: InventoryNumber | null;
}

/** Sitters by real phone (seed Zap 2's "Add New Sitter" form). */
@Injectable()
export class SittersService {
  constructor(
    private readonly sitters: SitterRepository,
    private readonly numbers: NumberRepository,
  ) {}

  /** creates the sitter, or updates name/email of the one with this phone */
  async upsert(input: { name: string; phone: string; email?: string }): Promise<SitterView & { created: boolean }> {
    const phone = toE164(input.phone);
    if (!phone) throw ValidationFailedError.single('phone', 'phone must be a valid US phone number');
    const { sitter, created } = await this.sitters.upsertByPhone({ name: input.name, phone, ...(input.email !== undefined && { email: input.email }) });
    return { sitter, reserved: created ? null : await this.numbers.findReservedForSitter(sitter.id), created };
  }

  async get(id: string): Promise<SitterView> {
    const sitter = await this.sitters.findById(id);
    if (!sitter) throw new NotFoundError('sitter', id);
    return { sitter, reserved: await this.numbers.findReservedForSitter(id) };
  }
}
