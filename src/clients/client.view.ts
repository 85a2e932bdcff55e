import type { Client } from '@maskline/store';
import { ClientDto } from './dto/client.dto';

export function toClientDto(client: Client): ClientDto {
  return {
    client_id: client.id,
    name: client.name,
    phone: client.phone,
    time_to_pet_id: client.timeToPetId,
    source: client.source,
    email: client.email,
    sitter_id: client.sitterId,
    last_active_at: client.lastActiveAt?.toISOString() ?? null,
    created_at: client.createdAt.toISOString(),
    updated_at: client.updatedAt.toISOString(),
  };
}
