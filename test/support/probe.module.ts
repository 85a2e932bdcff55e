import { Body, Controller, HttpCode, Module, Post } from '@nestjs/common';
import { EchoDto } from './echo.dto';
import { TwilioWebhook, ZapierRoute } from '../../src/common/auth/route-kinds.decorator';

/** Counts handler runs so tests can prove a replay did not redo the work. */
export const probeCalls = { echo: 0, twilio: 0 };

/** Test-only routes that exercise the shared guards and the idempotency recorder. */
@Controller('probe')
class ProbeController {
  @Post('echo')
  @HttpCode(202)
  @ZapierRoute()
  async echo(@Body() dto: EchoDto) {
    probeCalls.echo += 1;
    if (dto.name === 'slow') await new Promise((r) => setTimeout(r, 600));
    if (dto.name === 'boom') throw new Error('probe failure');
    return { success: true, call: probeCalls.echo, name: dto.name, quantity: dto.quantity };
  }

  @Post('twilio')
  @HttpCode(200)
  @TwilioWebhook()
  twilio(@Body() body: Record<string, string>) {
    probeCalls.twilio += 1;
    return { received: body.MessageSid ?? null };
  }
}

@Module({ controllers: [ProbeController] })
export class ProbeModule {}
