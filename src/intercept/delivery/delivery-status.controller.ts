import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { ApiBody, ApiNoContentResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { TwilioWebhook } from '../../common/auth/route-kinds.decorator';
import { DeliveryStatusService } from './delivery-status.service';
import { StatusCallbackDto } from '../dto/status-callback.dto';
import { parseStatusCallback } from '../rules/delivery-status';

@ApiTags('twilio')
@Controller('twilio/status')
export class DeliveryStatusController {
  constructor(private readonly statuses: DeliveryStatusService) {}

  @Post()
  @HttpCode(204)
  @TwilioWebhook()
  @ApiOperation({ summary: 'Status callback of relayed messages: records delivery status and error code' })
  @ApiBody({ type: StatusCallbackDto })
  @ApiNoContentResponse({ description: 'Recorded (or ignored: an intermediate status, or a message we did not relay)' })
  async callback(@Body() params: Record<string, unknown>): Promise<void> {
    await this.statuses.record(parseStatusCallback(params ?? {}));
  }
}
