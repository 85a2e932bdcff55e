import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { ApiConflictResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ZapierRoute } from '../common/auth/route-kinds.decorator';
import { ErrorBodyDto } from '../common/http/error-body.dto';
import { SitterNumbersService } from './sitter-numbers.service';
import { AttachAnswerDto, AttachNumberDto, DetachAnswerDto, DetachNumberDto } from './sitters.dto';
import { toAttachAnswer, toDetachAnswer } from './sitters.presenter';

/** Seed Zap 2's attach-number routine: one call per path. */
@ApiTags('sitters')
@Controller()
export class SitterNumbersController {
  constructor(private readonly sitterNumbers: SitterNumbersService) {}

  @Post('attach-number')
  @HttpCode(200)
  @ZapierRoute()
  @ApiOperation({
    summary: "Give a sitter a reserved number: a ready standby number at once (path A), else a purchase (path B)",
    description: 'Safe to repeat: a sitter never gets two numbers; a repeat answers path "existing".',
  })
  @ApiOkResponse({ type: AttachAnswerDto })
  @ApiNotFoundResponse({ type: ErrorBodyDto })
  async attach(@Body() dto: AttachNumberDto): Promise<AttachAnswerDto> {
    return toAttachAnswer(await this.sitterNumbers.attach(dto.sitter_id, dto.area_code));
  }

  @Post('detach-number')
  @HttpCode(200)
  @ZapierRoute()
  @ApiOperation({ summary: "Path C: the sitter's number returns to standby, its sessions close, the sitter becomes inactive" })
  @ApiOkResponse({ type: DetachAnswerDto })
  @ApiNotFoundResponse({ type: ErrorBodyDto })
  @ApiConflictResponse({ description: 'The reserved number is still being bought', type: ErrorBodyDto })
  async detach(@Body() dto: DetachNumberDto): Promise<DetachAnswerDto> {
    return toDetachAnswer(await this.sitterNumbers.detach(dto.sitter_id));
  }
}
