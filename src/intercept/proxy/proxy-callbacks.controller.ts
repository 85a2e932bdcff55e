import { Body, Controller, HttpCode, Post, Res } from '@nestjs/common';
import { ApiBody, ApiExtraModels, ApiForbiddenResponse, ApiOkResponse, ApiOperation, ApiTags, getSchemaPath } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { TwilioWebhook } from '../../common/auth/route-kinds.decorator';
import { AutoCreateSessionDto, ProxyInterceptCallbackDto } from '../dto/proxy-callbacks.dto';
import { InboundSmsWebhookDto } from '../dto/inbound-sms-webhook.dto';
import { parseInboundSms } from '../rules/inbound-sms';
import { parseProxyInteraction } from '../rules/proxy-interaction';
import { OutOfSessionService } from './out-of-session.service';
import { ProxyInterceptService } from './proxy-intercept.service';

/** RELAY_MODE=proxy: the two callbacks of the Proxy service (set them on the service, docs/twilio.md). */
@ApiTags('twilio')
@Controller()
export class ProxyCallbacksController {
  constructor(
    private readonly intercept: ProxyInterceptService,
    private readonly outOfSession: OutOfSessionService,
  ) {}

  @Post('intercept')
  @TwilioWebhook()
  @ApiOperation({
    summary: "Proxy's Intercept Callback URL (RELAY_MODE=proxy)",
    description: "A client's text is blocked (403) and re-sent to the sitter with the [Client Name]: prefix; every other interaction passes (200). On any failure the text passes unprefixed.",
  })
  @ApiBody({ type: ProxyInterceptCallbackDto })
  @ApiOkResponse({ description: 'The interaction continues as Proxy would send it' })
  @ApiForbiddenResponse({ description: 'Blocked: the text goes to the sitter as a prefixed Message Interaction instead (also the answer to a forged signature)' })
  async interaction(@Body() params: Record<string, unknown>, @Res({ passthrough: true }) reply: FastifyReply): Promise<string> {
    const decision = await this.intercept.decide(parseProxyInteraction(params ?? {}));
    reply.code(decision === 'block' ? 403 : 200).type('text/plain; charset=utf-8');
    return '';
  }

  @Post('out-of-session')
  @HttpCode(200)
  @TwilioWebhook()
  @ApiOperation({
    summary: "Proxy's Out of Session Callback URL (RELAY_MODE=proxy)",
    description: "First contact: a client texting a sitter's reserved number gets a session, answered as Twilio's auto-create session JSON. A sitter texting a pool number with no session gets a notice (TwiML); anyone else empty TwiML.",
  })
  @ApiBody({ type: InboundSmsWebhookDto })
  @ApiExtraModels(AutoCreateSessionDto)
  @ApiOkResponse({
    description: 'Auto-create session JSON, or TwiML',
    content: { 'application/json': { schema: { $ref: getSchemaPath(AutoCreateSessionDto) } }, 'text/xml': { example: '<?xml version="1.0" encoding="UTF-8"?><Response/>' } },
  })
  async outOfSessionText(@Body() params: Record<string, unknown>, @Res({ passthrough: true }) reply: FastifyReply): Promise<AutoCreateSessionDto | string> {
    const answer = await this.outOfSession.answer(parseInboundSms(params ?? {}));
    if (answer.kind === 'auto_create') {
      reply.type('application/json; charset=utf-8');
      return answer.session;
    }
    reply.type('text/xml; charset=utf-8');
    return answer.twiml;
  }
}
