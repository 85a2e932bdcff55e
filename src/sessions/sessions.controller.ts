import { Body, Controller, Get, HttpCode, Param, Post, Res } from '@nestjs/common';
import { ApiConflictResponse, ApiCreatedResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags, ApiUnprocessableEntityResponse } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { ClientRepository, SitterRepository } from '@maskline/store';
import { ZapierQuery, ZapierRoute } from '../common/auth/route-kinds.decorator';
import { ConflictError, NotFoundError, UnprocessableError } from '../common/http/app-errors';
import { ErrorBodyDto } from '../common/http/error-body.dto';
import { OpenSessionDto } from './dto/open-session.dto';
import { ActiveSessionCountDto, OpenedSessionDto, SessionDto } from './dto/session.dto';
import { SessionService } from './session.service';
import { toSessionDto } from './session.view';

@ApiTags('sessions')
@Controller('sessions')
export class SessionsController {
  constructor(
    private readonly sessions: SessionService,
    private readonly clients: ClientRepository,
    private readonly sitters: SitterRepository,
  ) {}

  @Post()
  @HttpCode(201)
  @ZapierRoute()
  @ApiOperation({ summary: 'Open a session for a known client and sitter ahead of the first text' })
  @ApiCreatedResponse({ type: OpenedSessionDto, description: 'Opened (200 with action "existing" when the pair already had one)' })
  @ApiNotFoundResponse({ type: ErrorBodyDto, description: 'No such client or sitter' })
  @ApiUnprocessableEntityResponse({ type: ErrorBodyDto, description: 'The sitter has no reserved number yet' })
  @ApiConflictResponse({ type: ErrorBodyDto, description: 'No pool number is free for this sitter; a purchase was requested, retry later' })
  async open(@Body() dto: OpenSessionDto, @Res({ passthrough: true }) reply: FastifyReply): Promise<OpenedSessionDto> {
    const [client, sitter] = await Promise.all([this.clients.findById(dto.client_id), this.sitters.findById(dto.sitter_id)]);
    if (!client) throw new NotFoundError('client', dto.client_id);
    if (!sitter) throw new NotFoundError('sitter', dto.sitter_id);
    if (!sitter.reservedNumber) throw new UnprocessableError('The sitter has no reserved number yet', { sitter_id: sitter.id }, 'sitter_without_number');
    const result = await this.sessions.openForPair(client, sitter, sitter.reservedNumber);
    if (result.outcome === 'exhausted') {
      throw new ConflictError('No pool number is free for this sitter; a pool number purchase was requested. Retry in a few minutes.', { purchase_requested: true }, 'pool_exhausted');
    }
    if (result.outcome === 'existing') reply.status(200);
    return { success: true, action: result.outcome, ...toSessionDto(result.session) };
  }

  @Get('active-count')
  @ZapierQuery()
  @ApiOperation({ summary: 'Active and total session counts (pool capacity Zap)' })
  @ApiOkResponse({ type: ActiveSessionCountDto })
  async activeCount(): Promise<ActiveSessionCountDto> {
    const { active, total } = await this.sessions.counts();
    return { active_sessions: active, total_sessions: total, timestamp: new Date().toISOString() };
  }

  @Get(':id')
  @ZapierQuery()
  @ApiOperation({ summary: 'One session' })
  @ApiOkResponse({ type: SessionDto })
  @ApiNotFoundResponse({ type: ErrorBodyDto })
  async get(@Param('id') id: string): Promise<SessionDto> {
    return toSessionDto(await this.sessions.get(id));
  }

  @Post(':id/close')
  @HttpCode(200)
  @ZapierRoute()
  @ApiOperation({ summary: 'Close a session now, freeing its pool number for the sitter (repeat calls answer the closed session)' })
  @ApiOkResponse({ type: SessionDto })
  @ApiNotFoundResponse({ type: ErrorBodyDto })
  async close(@Param('id') id: string): Promise<SessionDto> {
    return toSessionDto(await this.sessions.closeById(id, 'closed_by_api'));
  }
}
