import { Body, Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiConflictResponse,
  ApiExcludeEndpoint,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiServiceUnavailableResponse,
  ApiTags,
  ApiTooManyRequestsResponse,
} from '@nestjs/swagger';
import { AdminRoute, ZapierQuery, ZapierRoute } from '../../common/auth/route-kinds.decorator';
import { ErrorBodyDto } from '../../common/http/error-body.dto';
import { StandbyKeeperService } from '../capacity/standby-keeper.service';
import { InventoryDebugService } from '../inventory-debug.service';
import { NumberPurchaseService } from '../purchase/number-purchase.service';
import { NumberRetirementService } from '../retire/number-retirement.service';
import { toNumberAnswer, toPurchaseAccepted, toStandbyAnswer } from './inventory.presenter';
import { NumberReleasedDto, NumberResultDto, PurchaseAcceptedDto, PurchaseNumbersDto, StandbyAnswerDto, StandbyReplenishDto } from './numbers.dto';

@ApiTags('inventory')
@Controller('numbers')
export class NumbersController {
  constructor(
    private readonly purchases: NumberPurchaseService,
    private readonly standby: StandbyKeeperService,
    private readonly debug: InventoryDebugService,
    private readonly retirement: NumberRetirementService,
  ) {}

  @Post('purchase')
  @HttpCode(202)
  @ZapierRoute()
  @ApiOperation({ summary: 'Buy numbers in the background: answers at once with pending records (no Twilio call in the request)' })
  @ApiAcceptedResponse({ type: PurchaseAcceptedDto })
  @ApiTooManyRequestsResponse({ description: 'Daily purchase cap (MAX_PURCHASES_PER_DAY) reached', type: ErrorBodyDto })
  async purchase(@Body() dto: PurchaseNumbersDto): Promise<PurchaseAcceptedDto> {
    const created = await this.purchases.request({
      lifecycle: dto.lifecycle,
      areaCode: dto.area_code,
      quantity: dto.quantity ?? 1,
      sitterId: dto.sitter_id ?? null,
      reason: dto.reason ?? 'Requested via POST /numbers/purchase',
    });
    return toPurchaseAccepted(created);
  }

  @Post('standby-replenish')
  @HttpCode(200)
  @ZapierRoute()
  @ApiOperation({ summary: 'Standby keeper: buy one standby number when none is ready and none is pending' })
  @ApiOkResponse({ type: StandbyAnswerDto })
  async standbyReplenish(@Body() dto: StandbyReplenishDto): Promise<StandbyAnswerDto> {
    return toStandbyAnswer(await this.standby.replenish(dto.area_code));
  }

  // Ops only: never in the public Swagger document (gap report item 5)
  @Get('debug')
  @AdminRoute()
  @ApiExcludeEndpoint()
  async debugSnapshot() {
    return this.debug.snapshot();
  }

  @Get(':id')
  @ZapierQuery()
  @ApiOperation({ summary: "A number record's purchase progress" })
  @ApiOkResponse({ type: NumberResultDto })
  @ApiNotFoundResponse({ type: ErrorBodyDto })
  async progress(@Param('id') id: string): Promise<NumberResultDto> {
    return { success: true, ...toNumberAnswer(await this.purchases.progress(id)) };
  }

  @Post(':id/retry')
  @HttpCode(202)
  @ZapierRoute()
  @ApiOperation({ summary: 'Retry a failed purchase (same purchase token: a number bought earlier is adopted, not bought again)' })
  @ApiAcceptedResponse({ type: NumberResultDto })
  @ApiNotFoundResponse({ type: ErrorBodyDto })
  async retry(@Param('id') id: string): Promise<NumberResultDto> {
    return { success: true, ...toNumberAnswer(await this.purchases.retry(id)) };
  }

  @Post(':id/release')
  @HttpCode(200)
  @ZapierRoute()
  @ApiOperation({
    summary: 'Retire a standby or pool number nothing uses: deleted from the Twilio account and marked released (releasing twice is a no-op)',
    description: 'A pending purchase, a sitter holding it as reserved number, or an active session through it answers 409 naming what holds it.',
  })
  @ApiOkResponse({ type: NumberReleasedDto })
  @ApiNotFoundResponse({ type: ErrorBodyDto })
  @ApiConflictResponse({ description: 'The number is in use (details name what holds it)', type: ErrorBodyDto })
  @ApiServiceUnavailableResponse({ description: 'Twilio did not release it; nothing changed', type: ErrorBodyDto })
  async release(@Param('id') id: string): Promise<NumberReleasedDto> {
    const { number, alreadyReleased } = await this.retirement.release(id);
    return { success: true, already_released: alreadyReleased, ...toNumberAnswer(number) };
  }
}
