import { Body, Controller, Get, HttpCode, Post } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ZapierQuery, ZapierRoute } from '../../common/auth/route-kinds.decorator';
import { PoolCapacityService } from '../capacity/pool-capacity.service';
import { CapacityCheckAnswerDto, CheckAndReplenishDto, InventoryHealthAnswerDto } from './inventory.dto';
import { toCapacityAnswer, toHealthAnswer } from './inventory.presenter';

@ApiTags('inventory')
@Controller('inventory')
export class InventoryController {
  constructor(private readonly capacity: PoolCapacityService) {}

  @Post('check-and-replenish')
  @HttpCode(200)
  @ZapierRoute()
  @ApiOperation({
    summary: 'Pool capacity monitor: buy when utilization ≥ threshold, no pool number is pending and the cooldown is free',
    description: 'Also runs inside the service on a schedule (CAPACITY_CHECK_EVERY_HOURS), so the Zap is optional.',
  })
  @ApiOkResponse({ type: CapacityCheckAnswerDto })
  async checkAndReplenish(@Body() dto: CheckAndReplenishDto): Promise<CapacityCheckAnswerDto> {
    const report = await this.capacity.check({
      areaCode: dto.area_code,
      quantity: dto.quantity,
      threshold: dto.threshold,
      cooldownHours: dto.cooldown_hours,
      trigger: 'api',
    });
    return toCapacityAnswer(report);
  }

  @Get('health')
  @ZapierQuery()
  @ApiOperation({ summary: "The capacity monitor's figures without acting, plus standby and reserved counts" })
  @ApiOkResponse({ type: InventoryHealthAnswerDto })
  async health(): Promise<InventoryHealthAnswerDto> {
    return toHealthAnswer(await this.capacity.health());
  }
}
