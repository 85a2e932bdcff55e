import { Injectable } from '@nestjs/common';
import { Client } from '../domain';
import { ClientRepository, RecordNotFoundError, SyncClientAction, SyncClientInput } from '../ports';
import { AirtableClientMerge } from './airtable-client-merge';
import { AirtableGateway } from './airtable-gateway';
import { or } from './airtable-formula';
import { monotonicNow } from './airtable-keys';
import { AirtableLocks } from './airtable-locks';
import { choiceLabel, toClient } from './airtable-mappers';
import { AirtableReadCache } from './airtable-read-cache';
import { AirtableTable, TableValues } from './airtable-table';
import { AirtableTables } from './airtable-tables';
import { AirtableTouchLedger, later } from './airtable-touch-ledger';
import { AirtableWriteQueue } from './airtable-write-queue';

/** the client fields Time to Pet owns */
function syncedValues(input: SyncClientInput): TableValues<'clients'> {
  return {
    timeToPetId: input.timeToPetId,
    firstName: input.firstName,
    lastName: input.lastName,
    name: `${input.firstName ?? ''} ${input.lastName ?? ''}`.trim() || null,
    email: input.email,
    phone: input.phone,
    address: input.address,
    source: choiceLabel('sync'),
  };
}

@Injectable()
export class AirtableClientRepository extends ClientRepository {
  private readonly table: AirtableTable<'clients', Client>;

  constructor(
    gateway: AirtableGateway,
    tables: AirtableTables,
    private readonly cache: AirtableReadCache,
    private readonly locks: AirtableLocks,
    private readonly ledger: AirtableTouchLedger,
    private readonly queue: AirtableWriteQueue,
    private readonly merge: AirtableClientMerge,
  ) {
    super();
    this.table = new AirtableTable(gateway, tables.clients, 'client', toClient);
  }

  async findById(id: string): Promise<Client | null> {
    return this.withTouches(await this.cache.record('client', id, () => this.table.find(id)));
  }

  async findByPhone(phone: string): Promise<Client | null> {
    return this.withTouches(await this.lookupByPhone(phone));
  }

  async findByTimeToPetId(timeToPetId: string): Promise<Client | null> {
    return this.withTouches(await this.loadByTimeToPetId(timeToPetId));
  }

  /**
   * On the message path: a known client costs no Airtable request. Unknown
   * phones are created under a per-phone lock; the waiters find the winner's
   * record in the cache it leaves behind.
   */
  async findOrCreateByPhone(phone: string, sitterId: string | null = null): Promise<{ client: Client; created: boolean }> {
    const cached = await this.cache.peek<Client>('client', 'phone', phone, (c) => c.phone === phone);
    if (cached.value) return { client: (await this.withTouches(cached.value))!, created: false };
    return this.locks.with([`client-phone:${phone}`], async () => {
      const existing = await this.lookupByPhone(phone, false);
      if (existing) return { client: (await this.withTouches(existing))!, created: false };
      const now = monotonicNow();
      const [created] = await this.table.create(
        [{ phone, sitterId, source: choiceLabel('first_contact'), createdAt: now, updatedAt: now }],
        'phone',
      );
      const { winner, won } = await this.table.confirmCreated(created, this.table.eq('phone', phone), [['createdAt', 'asc']]);
      await this.remember(winner);
      return { client: winner, created: won };
    });
  }

  async upsertFromSync(input: SyncClientInput): Promise<{ client: Client; action: SyncClientAction }> {
    return this.locks.with([`client-phone:${input.phone}`, `client-ttp:${input.timeToPetId}`], async () => {
      const [byId, byPhone] = await Promise.all([this.loadByTimeToPetId(input.timeToPetId), this.loadByPhone(input.phone)]);
      const now = monotonicNow();
      const values = { ...syncedValues(input), updatedAt: now };
      if (!byId && !byPhone) {
        const [created] = await this.table.create([{ ...values, createdAt: now }], 'phone');
        const sameKeys = or(this.table.eq('phone', input.phone), this.table.eq('timeToPetId', input.timeToPetId));
        const { winner, won } = await this.table.confirmCreated(created, sameKeys, [['createdAt', 'asc']]);
        if (won) await this.remember(winner);
        return won ? { client: winner, action: 'created' } : { client: await this.write(winner.id, values), action: 'merged' };
      }
      const keeper = (byId ?? byPhone)!;
      const stray = byId && byPhone && byPhone.id !== byId.id ? byPhone : null;
      let absorbed = {};
      if (stray) {
        absorbed = await this.merge.fold(stray, keeper);
        await this.table.delete([stray.id]);
        await this.cache.forget('client', stray.id);
      }
      const client = await this.write(keeper.id, { ...values, ...absorbed });
      return { client, action: byId && !stray ? 'updated' : 'merged' };
    });
  }

  /** last activity lands behind (see AirtableTouchLedger); readers see it at once */
  async touch(id: string, at: Date, sitterId?: string | null): Promise<void> {
    const client = await this.cache.record('client', id, () => this.table.find(id));
    if (!client) throw new RecordNotFoundError('client', id);
    await this.ledger.record('clients', id, at, sitterId);
    await this.queue.addTouch({ table: 'clients', id });
  }

  private lookupByPhone(phone: string, trustMiss = true): Promise<Client | null> {
    return this.cache.lookup('client', 'phone', phone, () => this.loadByPhone(phone), (c) => c.phone === phone, trustMiss);
  }

  private loadByPhone(phone: string): Promise<Client | null> {
    return this.table.first(this.table.eq('phone', phone), [['createdAt', 'asc']]);
  }

  private loadByTimeToPetId(timeToPetId: string): Promise<Client | null> {
    return this.table.first(this.table.eq('timeToPetId', timeToPetId), [['createdAt', 'asc']]);
  }

  private async write(id: string, values: TableValues<'clients'>): Promise<Client> {
    const client = await this.table.update(id, values);
    await this.remember(client);
    return (await this.withTouches(client))!;
  }

  private remember(client: Client): Promise<void> {
    return this.cache.put('client', client, [['phone', client.phone, client.id]]);
  }

  private async withTouches(client: Client | null): Promise<Client | null> {
    if (!client) return null;
    const pending = (await this.ledger.overlay('clients', [client.id])).get(client.id);
    if (!pending) return client;
    return { ...client, lastActiveAt: later(client.lastActiveAt, pending.at), sitterId: pending.sitterId ?? client.sitterId };
  }
}
