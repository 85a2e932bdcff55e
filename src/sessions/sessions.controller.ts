import { Body, Controller, Get, HttpCode, Param, Post, Res } from '@nestjs/common';
import { ApiConflictResponse, ApiCreatedResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags, ApiUnprocessableEntityResponse } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import type { Session } from '@maskline/store';
import { ZapierQuery, ZapierRoute } from '../common/auth/route-kinds.decorator';
import { ErrorBodyDto } from '../common/http/error-body.dto';
import { SessionService } from './session.service';
import { ActiveSessionCountDto, OpenedSessionDto, OpenSessionDto, SessionDto } from './sessions.dto';

@ApiTags('sessions')
@Controller('sessions')
export class SessionsController {
  constructor(private readonly sessions: SessionService) {}

  @Post()
  @HttpCode(201)
  @ZapierRoute()
  @ApiOperation({ summary: 'Open a session for a known client and sitter ahead of the first text' })
  @ApiCreatedResponse({ type: OpenedSessionDto, description: 'Opened (200 with action "existing" when the pair already had one)' })
  @ApiNotFoundResponse({ type: ErrorBodyDto, description: 'No such client or sitter' })
  @ApiUnprocessableEntityResponse({ type: ErrorBodyDto, description: 'The sitter has no reserved number yet' })
  @ApiConflictResponse({ type: ErrorBodyDto, description: 'No pool number is free for this sitter; a purchase was requested, retry later' })
  async open(@Body() dto: OpenSessionDto, @Res({ passthrough: true }) reply: FastifyReply): Promise<OpenedSessionDto> {
    const result = await this.sessions.open(dto.client_id, dto.sitter_id);
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

/** a session, as every sessions answer shows it */
export function toSessionDto(session: Session): SessionDto {
  return {
    session_id: session.id,
    client_id: session.clientId,
    sitter_id: session.sitterId,
    pool_number: session.poolNumber,
    reserved_number: session.reservedNumber,
    status: session.status,
    last_activity_at: session.lastActivityAt.toISOString(),
    created_at: session.createdAt.toISOString(),
    closed_at: session.closedAt?.toISOString() ?? null,
    close_reason: session.closeReason,
  };
}
