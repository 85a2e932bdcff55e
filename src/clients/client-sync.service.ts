import { Injectable } from '@nestjs/common';
import { AuditLog, ClientRepository } from '@maskline/store';
import { NotFoundError } from '../common/http/app-errors';
import { toE164 } from '../common/phone/phone';
import { toClientDto } from './client.view';
import { ClientDto, ClientSyncResultDto, ClientSyncSkippedDto } from './dto/client.dto';
import { SyncClientDto } from './dto/sync-client.dto';

/** SPEC 5 (Zap 1): Time to Pet is the source of truth for names; the relay creates first-contact clients. */
@Injectable()
export class ClientSyncService {
  constructor(
    private readonly clients: ClientRepository,
    private readonly audit: AuditLog,
  ) {}

  async sync(dto: SyncClientDto): Promise<ClientSyncResultDto | ClientSyncSkippedDto> {
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
    return { success: true, action, ...toClientDto(client) };
  }

  async get(id: string): Promise<ClientDto> {
    const client = await this.clients.findById(id);
    if (!client) throw new NotFoundError('client', id);
    return toClientDto(client);
  }

  private skipped(dto: SyncClientDto, reason: ClientSyncSkippedDto['reason']): ClientSyncSkippedDto {
    return { success: true, action: 'skipped', reason, time_to_pet_id: dto.client_id };
  }
}
