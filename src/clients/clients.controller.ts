import { Body, Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiExtraModels, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags, getSchemaPath } from '@nestjs/swagger';
import { ZapierQuery, ZapierRoute } from '../common/auth/route-kinds.decorator';
import { ErrorBodyDto } from '../common/http/error-body.dto';
import type { Client } from '@maskline/store';
import { ClientSyncService } from './client-sync.service';
import { ClientDto, ClientSyncResultDto, ClientSyncSkippedDto, SyncClientDto } from './clients.dto';

@ApiTags('clients')
@Controller('clients')
export class ClientsController {
  constructor(private readonly clients: ClientSyncService) {}

  @Post('sync')
  @HttpCode(200)
  @ZapierRoute()
  @ApiOperation({ summary: 'Upsert a client from Time to Pet (Zap 1), merging into the client a first text created' })
  @ApiExtraModels(ClientSyncResultDto, ClientSyncSkippedDto)
  @ApiOkResponse({ schema: { oneOf: [{ $ref: getSchemaPath(ClientSyncResultDto) }, { $ref: getSchemaPath(ClientSyncSkippedDto) }] } })
  async sync(@Body() dto: SyncClientDto): Promise<ClientSyncResultDto | ClientSyncSkippedDto> {
    const outcome = await this.clients.sync(dto);
    if (outcome.action === 'skipped') return { success: true, action: 'skipped', reason: outcome.reason, time_to_pet_id: outcome.timeToPetId };
    return { success: true, action: outcome.action, ...toClientDto(outcome.client) };
  }

  @Get(':id')
  @ZapierQuery()
  @ApiOperation({ summary: 'One client' })
  @ApiOkResponse({ type: ClientDto })
  @ApiNotFoundResponse({ type: ErrorBodyDto })
  async get(@Param('id') id: string): Promise<ClientDto> {
    return toClientDto(await this.clients.get(id));
  }
}

/** a client, as every clients answer shows it */
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
