import { Injectable } from '@nestjs/common';
import { InventoryNumber, Lifecycle, LifecycleCounts, NumberStatus } from '../domain';
import { CreatePendingNumberInput, MarkNumberReadyInput, NumberRepository, RecordNotFoundError, UniqueConflictError } from '../ports';
import { AirtableGateway, chunk } from './airtable-gateway';
import { and, anyOf, Formula } from './airtable-formula';
import { monotonicNow, sortableKey } from './airtable-keys';
import { AirtableLocks } from './airtable-locks';
import { choiceLabel, toNumber } from './airtable-mappers';
import { AirtableReadCache } from './airtable-read-cache';
import { AirtableTable, TableSort, TableValues } from './airtable-table';
import { AirtableTables } from './airtable-tables';

// Every number write bumps this version, so the cached ready-pool list is never older than our own writes.
const NUMBERS_VERSION = 'numbers:version';
const READY_POOL = 'numbers:ready-pool';
const OLDEST_PURCHASE_FIRST: TableSort<'numbers'> = [
  ['purchasedAt', 'asc'],
  ['createdAt', 'asc'],
];

const conflict = (rule: string) => new UniqueConflictError('number', rule);

@Injectable()
export class AirtableNumberRepository extends NumberRepository {
  private readonly table: AirtableTable<'numbers', InventoryNumber>;

  constructor(
    gateway: AirtableGateway,
    tables: AirtableTables,
    private readonly cache: AirtableReadCache,
    private readonly locks: AirtableLocks,
  ) {
    super();
    this.table = new AirtableTable(gateway, tables.numbers, 'number', toNumber);
  }

  /**
   * All or nothing: reserved numbers are checked under their sitters' locks
   * (one open reserved number per sitter), and if a later batch of 10 fails
   * the records already created are deleted again.
   */
  async createPending(inputs: CreatePendingNumberInput[]): Promise<InventoryNumber[]> {
    if (!inputs.length) return [];
    const sitters = inputs.filter((i) => i.lifecycle === 'reserved' && i.sitterId).map((i) => i.sitterId!);
    if (new Set(sitters).size !== sitters.length) throw conflict('reserved number per sitter');
    return this.locks.with(
      sitters.map((s) => `sitter-reserved:${s}`),
      async () => {
        for (const sitterId of sitters) if (await this.openReservedOf(sitterId)) throw conflict('reserved number per sitter');
        const created: InventoryNumber[] = [];
        try {
          for (const batch of chunk(inputs)) created.push(...(await this.table.create(batch.map(pendingValues), 'purchaseToken')));
          for (const sitterId of sitters) {
            const mine = created.find((n) => n.sitterId === sitterId)!;
            const { won } = await this.table.confirmUnique(mine, this.openReservedFilter(sitterId), [['createdAt', 'asc']]);
            if (!won) throw conflict('reserved number per sitter');
          }
        } catch (e) {
          await this.table.delete(created.map((n) => n.id)).catch(() => undefined);
          throw e;
        } finally {
          await this.cache.bump(NUMBERS_VERSION);
        }
        return created;
      },
    );
  }

  findById(id: string): Promise<InventoryNumber | null> {
    return this.table.find(id);
  }

  findByPhone(phoneNumber: string): Promise<InventoryNumber | null> {
    return this.table.first(this.table.eq('phoneNumber', phoneNumber), [['createdAt', 'asc']]);
  }

  setJobId(id: string, jobId: string): Promise<InventoryNumber> {
    return this.write(id, { jobId });
  }

  /** a phone number belongs to one record: checked under a lock on the number */
  markReady(id: string, input: MarkNumberReadyInput): Promise<InventoryNumber> {
    return this.locks.with([`number-phone:${input.phoneNumber}`], async () => {
      const holder = await this.findByPhone(input.phoneNumber);
      if (holder && holder.id !== id) throw conflict('phone number');
      return this.write(id, {
        status: choiceLabel('ready'),
        phoneNumber: input.phoneNumber,
        twilioSid: input.twilioSid,
        purchasedAt: input.purchasedAt,
        verificationResult: input.verificationResult ?? null,
        errorCode: null,
        errorMessage: null,
      });
    });
  }

  markFailed(id: string, errorCode: string | null, errorMessage: string): Promise<InventoryNumber> {
    return this.write(id, { status: choiceLabel('failed'), errorCode, errorMessage });
  }

  /** only a failed record goes back to pending; any other is returned as it is */
  resetForRetry(id: string): Promise<InventoryNumber> {
    return this.changeIf(id, (n) => n.status === 'failed', { status: choiceLabel('pending'), errorCode: null, errorMessage: null });
  }

  async countByLifecycle(lifecycle: Lifecycle): Promise<LifecycleCounts> {
    const counts: LifecycleCounts = { pending: 0, ready: 0, failed: 0, released: 0 };
    const rows = await this.table.list(this.table.eq('lifecycle', choiceLabel(lifecycle)), [], { fields: [this.table.field('status')] });
    for (const n of rows) if (n.status in counts) counts[n.status] += 1;
    return counts;
  }

  /** read by every new session: cached, and invalidated by any number write */
  listReadyPool(): Promise<InventoryNumber[]> {
    return this.cache.list(READY_POOL, NUMBERS_VERSION, () => this.table.list(this.ready('pool'), OLDEST_PURCHASE_FIRST));
  }

  findFirstReadyStandby(): Promise<InventoryNumber | null> {
    return this.table.first(this.ready('standby'), OLDEST_PURCHASE_FIRST);
  }

  findReservedForSitter(sitterId: string): Promise<InventoryNumber | null> {
    return this.openReservedOf(sitterId);
  }

  assignStandbyToSitter(numberId: string, sitterId: string): Promise<InventoryNumber | null> {
    return this.locks.with([`sitter-reserved:${sitterId}`, `number:${numberId}`], async () => {
      const number = await this.table.find(numberId);
      if (!number || number.lifecycle !== 'standby' || number.status !== 'ready') return null;
      if (await this.openReservedOf(sitterId)) throw conflict('reserved number per sitter');
      const assigned = await this.write(numberId, { lifecycle: choiceLabel('reserved'), sitterId });
      const { won } = await this.table.confirmUnique(assigned, this.openReservedFilter(sitterId), [['createdAt', 'asc']]);
      if (!won) {
        await this.write(numberId, { lifecycle: choiceLabel('standby'), sitterId: null });
        throw conflict('reserved number per sitter');
      }
      return assigned;
    });
  }

  returnToStandby(numberId: string): Promise<InventoryNumber> {
    return this.changeIf(numberId, (n) => n.lifecycle === 'reserved', { lifecycle: choiceLabel('standby'), sitterId: null });
  }

  async changeStatus(id: string, from: NumberStatus, to: NumberStatus): Promise<InventoryNumber | null> {
    let matched = false;
    const after = await this.changeIf(id, (n) => (matched = n.status === from), { status: choiceLabel(to) });
    return matched ? after : null;
  }

  listRecent(limit: number): Promise<InventoryNumber[]> {
    return this.table.list(undefined, [['createdAt', 'desc'], ['purchaseToken', 'desc']], { maxRecords: limit });
  }

  private ready(lifecycle: Lifecycle): Formula {
    return and(this.table.eq('lifecycle', choiceLabel(lifecycle)), this.table.eq('status', choiceLabel('ready')));
  }

  private openReservedFilter(sitterId: string): Formula {
    return and(
      this.table.eq('lifecycle', choiceLabel('reserved')),
      this.table.eq('sitterId', sitterId),
      anyOf(this.table.field('status'), [choiceLabel('pending'), choiceLabel('ready')]),
    );
  }

  private openReservedOf(sitterId: string): Promise<InventoryNumber | null> {
    return this.table.first(this.openReservedFilter(sitterId), [['createdAt', 'asc']]);
  }

  private changeIf(id: string, when: (n: InventoryNumber) => boolean, values: TableValues<'numbers'>): Promise<InventoryNumber> {
    return this.locks.with([`number:${id}`], async () => {
      const current = await this.table.find(id);
      if (!current) throw new RecordNotFoundError('number', id);
      return when(current) ? this.write(id, values) : current;
    });
  }

  private async write(id: string, values: TableValues<'numbers'>): Promise<InventoryNumber> {
    try {
      return await this.table.update(id, { ...values, updatedAt: monotonicNow() });
    } finally {
      await this.cache.bump(NUMBERS_VERSION);
    }
  }
}

function pendingValues(input: CreatePendingNumberInput): TableValues<'numbers'> {
  const now = monotonicNow();
  return {
    lifecycle: choiceLabel(input.lifecycle),
    status: choiceLabel('pending'),
    areaCode: input.areaCode,
    sitterId: input.sitterId ?? null,
    purchaseReason: input.purchaseReason ?? null,
    // Twilio FriendlyName (≤ 64 chars): how a retried purchase finds what it bought
    purchaseToken: sortableKey('maskline-'),
    createdAt: now,
    updatedAt: now,
  };
}
