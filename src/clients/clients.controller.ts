import { Body, Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiExtraModels, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags, getSchemaPath } from '@nestjs/swagger';
import { ZapierQuery, ZapierRoute } from '../common/auth/route-kinds.decorator';
import { ErrorBodyDto } from '../common/http/error-body.dto';
import { ClientSyncService } from './client-sync.service';
import { ClientDto, ClientSyncResultDto, ClientSyncSkippedDto } from './dto/client.dto';
import { SyncClientDto } from './dto/sync-client.dto';

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
  sync(@Body() dto: SyncClientDto): Promise<ClientSyncResultDto | ClientSyncSkippedDto> {
    return this.clients.sync(dto);
  }

  @Get(':id')
  @ZapierQuery()
  @ApiOperation({ summary: 'One client' })
  @ApiOkResponse({ type: ClientDto })
  @ApiNotFoundResponse({ type: ErrorBodyDto })
  get(@Param('id') id: string): Promise<ClientDto> {
    return this.clients.get(id);
  }
}
