import { Injectable } from '@nestjs/common';
import { AuditLog, Client, ClientRepository } from '@maskline/store';
import { NotFoundError } from '../common/http/app-errors';
import { toE164 } from '../common/phone/phone';
import { SyncClientDto } from './clients.dto';

export type ClientSyncOutcome =
  | { action: 'created' | 'updated' | 'merged'; client: Client }
  | { action: 'skipped'; reason: 'missing_phone' | 'invalid_phone'; timeToPetId: string };

/** SPEC 5 (Zap 1): Time to Pet is the source of truth for names; the relay creates first-contact clients. */
@Injectable()
export class ClientSyncService {
  constructor(
    private readonly clients: ClientRepository,
    private readonly audit: AuditLog,
  ) {}

  async sync(dto: SyncClientDto): Promise<ClientSyncOutcome> {
    if (!dto.phone) return this.skipped(dto, 'missing_phone');
    const phone = toE164(dto.phone);
    if (!phone) return this.skipped(dto, 'invalid_phone');
    const { client, action } = await this.clients.upsertFromSync({
      timeToPetId: dto.client_id,
      firstName: dto.first_name ?? null,
      lastName: dto.last_name ?? null,
      email: dto.email ?? null,
      phone,
      address: dto.address ?? null,
    });
    if (action !== 'updated') {
      await this.audit.record({
        eventType: action === 'merged' ? 'client_merged' : 'client_created',
        category: 'client',
        details: { time_to_pet_id: dto.client_id, source: 'sync' },
        clientId: client.id,
      });
    }
    return { action, client };
  }

  async get(id: string): Promise<Client> {
    const client = await this.clients.findById(id);
    if (!client) throw new NotFoundError('client', id);
    return client;
  }

  private skipped(dto: SyncClientDto, reason: 'missing_phone' | 'invalid_phone'): ClientSyncOutcome {
    return { action: 'skipped', reason, timeToPetId: dto.client_id };
  }
}
