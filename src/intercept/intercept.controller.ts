import { Body, Controller, HttpCode, Post, Res } from '@nestjs/common';
import { ApiBody, ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { TwilioWebhook } from '../common/auth/route-kinds.decorator';
import { InboundSmsWebhookDto } from './dto/inbound-sms-webhook.dto';
import { InboundRelayService } from './relay/inbound-relay.service';
import { parseInboundSms } from './rules/inbound-sms';

/** TwiML that tells Twilio to do nothing: the relay sends its own messages from the queue. */
export const EMPTY_TWIML = '<?xml version="1.0" encoding="UTF-8"?><Response/>';

@ApiTags('twilio')
@Controller('intercept')
export class InterceptController {
  constructor(private readonly relay: InboundRelayService) {}

  /** Twilio waits on this answer: it only checks and enqueues; routing and sending run in the Relay queue. */
  @Post()
  @HttpCode(200)
  @TwilioWebhook()
  @ApiOperation({ summary: 'Inbound SMS/MMS webhook of every number we own (Programmable Messaging)' })
  @ApiBody({ type: InboundSmsWebhookDto })
  @ApiProduces('text/xml')
  @ApiOkResponse({ description: 'Empty TwiML; a redelivered MessageSid is accepted and relayed once', content: { 'text/xml': { example: EMPTY_TWIML } } })
  async inbound(@Body() params: Record<string, unknown>, @Res({ passthrough: true }) reply: FastifyReply): Promise<string> {
    await this.relay.accept(parseInboundSms(params ?? {}), new Date());
    // set here, not with @Header: Nest applies that before the handler, and errors must still leave as JSON
    reply.type('text/xml; charset=utf-8');
    return EMPTY_TWIML;
  }
}
