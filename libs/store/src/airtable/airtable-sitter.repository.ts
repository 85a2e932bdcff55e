import { Injectable } from '@nestjs/common';
import { Sitter, SitterStatus } from '../domain';
import { SitterRepository, UpsertSitterInput } from '../ports';
import { AirtableGateway } from './airtable-gateway';
import { and, notEq } from './airtable-formula';
import { monotonicNow } from './airtable-keys';
import { AirtableLocks } from './airtable-locks';
import { choiceLabel, toSitter } from './airtable-mappers';
import { AirtableReadCache } from './airtable-read-cache';
import { AirtableTable, TableValues } from './airtable-table';
import { AirtableTables } from './airtable-tables';

@Injectable()
export class AirtableSitterRepository extends SitterRepository {
  private readonly table: AirtableTable<'sitters', Sitter>;

  constructor(
    gateway: AirtableGateway,
    tables: AirtableTables,
    private readonly cache: AirtableReadCache,
    private readonly locks: AirtableLocks,
  ) {
    super();
    this.table = new AirtableTable(gateway, tables.sitters, 'sitter', toSitter);
  }

  findById(id: string): Promise<Sitter | null> {
    return this.cache.record('sitter', id, () => this.table.find(id));
  }

  findByPhone(phone: string): Promise<Sitter | null> {
    return this.cache.lookup('sitter', 'phone', phone, () => this.loadByPhone(phone), (s) => s.phone === phone);
  }

  /** the message path's first lookup: which sitter owns the number a client texted */
  findByReservedNumber(reservedNumber: string): Promise<Sitter | null> {
    return this.cache.lookup(
      'sitter',
      'reserved',
      reservedNumber,
      () => this.table.first(this.table.eq('reservedNumber', reservedNumber), [['createdAt', 'asc']]),
      (s) => s.reservedNumber === reservedNumber,
    );
  }

  async upsertByPhone(input: UpsertSitterInput): Promise<{ sitter: Sitter; created: boolean }> {
    return this.locks.with([`sitter-phone:${input.phone}`], async () => {
      const now = monotonicNow();
      const existing = await this.loadByPhone(input.phone);
      if (existing) {
        return { sitter: await this.write(existing.id, { name: input.name, email: input.email ?? null, updatedAt: now }), created: false };
      }
      const [created] = await this.table.create(
        [{ name: input.name, phone: input.phone, email: input.email ?? null, status: choiceLabel('pending'), createdAt: now, updatedAt: now }],
        'phone',
      );
      const { winner, won } = await this.table.confirmCreated(created, this.table.eq('phone', input.phone), [['createdAt', 'asc']]);
      await this.remember(winner);
      return { sitter: winner, created: won };
    });
  }

  countWithoutReservedNumber(): Promise<number> {
    return this.table.count(and(this.table.eq('reservedNumber', ''), notEq(this.table.field('status'), choiceLabel('inactive'))), 'status');
  }

  setReservedNumber(id: string, reservedNumber: string | null, status: SitterStatus): Promise<Sitter> {
    return this.write(id, { reservedNumber, status: choiceLabel(status), updatedAt: monotonicNow() });
  }

  private loadByPhone(phone: string): Promise<Sitter | null> {
    return this.table.first(this.table.eq('phone', phone), [['createdAt', 'asc']]);
  }

  private async write(id: string, values: TableValues<'sitters'>): Promise<Sitter> {
    const sitter = await this.table.update(id, values);
    await this.remember(sitter);
    return sitter;
  }

  private remember(sitter: Sitter): Promise<void> {
    return this.cache.put('sitter', sitter, [
      ['phone', sitter.phone, sitter.id],
      ['reserved', sitter.reservedNumber, sitter.id],
    ]);
  }
}
