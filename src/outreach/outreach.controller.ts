import { Body, Controller, Get, HttpCode, Param, Post, Query, Res } from '@nestjs/common';
import { ApiBody, ApiOperation, ApiParam, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { ZapierQuery, ZapierRoute } from '../common/auth/route-kinds.decorator';
import { NotFoundError } from '../common/http/app-errors';
import { ErrorBodyDto } from '../common/http/error-body.dto';
import { ConversationDto, ConversationListDto, OpenedConversationDto } from './dto/conversation-answer.dto';
import { ListConversationsDto } from './dto/list-conversations.dto';
import { OpenConversationDto } from './dto/open-conversation.dto';
import { OUTREACH_EXAMPLES as X } from './outreach.examples';
import { OutreachConversationService } from './outreach-conversation.service';
import { OutreachConversation } from './outreach-conversations.port';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function toConversationDto(c: OutreachConversation): ConversationDto {
  return {
    conversation_id: c.id,
    tenant_id: c.tenantId,
    practice_id: c.practiceId,
    coordinator_sax_id: c.coordinatorSaxId,
    patient_phone: c.patientPhone,
    friendly_name: c.friendlyName,
    twilio_sid: c.twilioSid,
    status: c.status,
    created_by: c.createdBy,
    created_at: c.createdAt.toISOString(),
    updated_at: c.updatedAt.toISOString(),
  };
}

/** a path id that is not a UUID names no conversation (and must not reach a uuid column) */
function conversationId(id: string): string {
  if (!UUID.test(id)) throw new NotFoundError('outreach conversation', id);
  return id.toLowerCase();
}

@ApiTags('outreach')
@Controller('outreach/conversations')
export class OutreachController {
  constructor(private readonly outreach: OutreachConversationService) {}

  @Post()
  @HttpCode(201)
  @ZapierRoute()
  @ApiOperation({ summary: 'Open the outreach conversation of a patient phone in a practice (one active per practice; a Twilio conversation with the patient bound)' })
  @ApiBody({ type: OpenConversationDto, examples: X.requests })
  @ApiResponse({ status: 201, type: OpenedConversationDto, description: 'A new conversation', examples: X.created })
  @ApiResponse({ status: 200, type: OpenedConversationDto, description: "This coordinator's active conversation, or an archived one reactivated for them", examples: X.existing })
  @ApiResponse({ status: 400, type: ErrorBodyDto, description: 'Invalid body: every bad field named; nothing written, no Twilio call', examples: X.invalid })
  @ApiResponse({ status: 409, type: ErrorBodyDto, description: 'Another coordinator of this practice holds the active conversation', examples: X.conflict })
  @ApiResponse({ status: 503, type: ErrorBodyDto, description: 'Twilio unavailable, or no outreach sender configured; nothing written', examples: X.unavailable })
  async open(@Body() dto: OpenConversationDto, @Res({ passthrough: true }) reply: FastifyReply): Promise<OpenedConversationDto> {
    const opened = await this.outreach.open({
      tenantId: dto.tenant_id,
      practiceId: dto.practice_id,
      coordinatorSaxId: dto.coordinator_sax_id,
      patientPhone: dto.patient_phone,
      friendlyName: dto.friendly_name ?? null,
      twilioSid: dto.twilio_sid ?? null,
      createdBy: dto.created_by ?? dto.coordinator_sax_id,
    });
    if (opened.action !== 'created') reply.status(200);
    return { success: true, ...toConversationDto(opened.conversation), action: opened.action, reactivated: opened.action === 'reactivated' };
  }

  @Get()
  @ZapierQuery()
  @ApiOperation({ summary: "A tenant's outreach conversations, newest first (filters: practice, patient phone, status)" })
  @ApiResponse({ status: 200, type: ConversationListDto, examples: X.list })
  @ApiResponse({ status: 400, type: ErrorBodyDto, description: 'tenant_id missing, or a bad filter, limit or cursor' })
  async list(@Query() query: ListConversationsDto): Promise<ConversationListDto> {
    const filter = { tenantId: query.tenant_id, practiceId: query.practice_id, patientPhone: query.patient_phone, status: query.status };
    const page = await this.outreach.list(filter, query.limit ?? 50, query.cursor);
    return { conversations: page.conversations.map(toConversationDto), next_cursor: page.nextCursor };
  }

  @Get(':id')
  @ZapierQuery()
  @ApiOperation({ summary: 'One outreach conversation' })
  @ApiParam({ name: 'id', description: 'conversation_id (UUID)' })
  @ApiResponse({ status: 200, type: ConversationDto, examples: X.one })
  @ApiResponse({ status: 404, type: ErrorBodyDto, examples: X.notFound })
  async get(@Param('id') id: string): Promise<ConversationDto> {
    return toConversationDto(await this.outreach.get(conversationId(id)));
  }

  @Post(':id/archive')
  @HttpCode(200)
  @ZapierRoute()
  @ApiOperation({ summary: 'Archive: the row stays, and the next request for this patient in this practice reactivates it with its Twilio conversation' })
  @ApiParam({ name: 'id', description: 'conversation_id (UUID)' })
  @ApiResponse({ status: 200, type: ConversationDto, examples: X.archived })
  @ApiResponse({ status: 404, type: ErrorBodyDto, examples: X.notFound })
  @ApiResponse({ status: 409, type: ErrorBodyDto, description: 'The conversation is closed (final)', examples: X.closedConflict })
  async archive(@Param('id') id: string): Promise<ConversationDto> {
    return toConversationDto(await this.outreach.archive(conversationId(id)));
  }

  @Post(':id/close')
  @HttpCode(200)
  @ZapierRoute()
  @ApiOperation({ summary: "Close (final): the Twilio conversation is closed too, freeing the patient's binding, unless another active or archived row still uses it" })
  @ApiParam({ name: 'id', description: 'conversation_id (UUID)' })
  @ApiResponse({ status: 200, type: ConversationDto, examples: X.closed })
  @ApiResponse({ status: 404, type: ErrorBodyDto, examples: X.notFound })
  async close(@Param('id') id: string): Promise<ConversationDto> {
    return toConversationDto(await this.outreach.close(conversationId(id)));
  }
}
