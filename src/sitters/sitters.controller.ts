import { Body, Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ZapierQuery, ZapierRoute } from '../common/auth/route-kinds.decorator';
import { ErrorBodyDto } from '../common/http/error-body.dto';
import { SitterAnswerDto, SitterUpsertAnswerDto, UpsertSitterDto } from './sitters.dto';
import { toSitterAnswer } from './sitters.presenter';
import { SittersService } from './sitters.service';

@ApiTags('sitters')
@Controller('sitters')
export class SittersController {
  constructor(private readonly sitters: SittersService) {}

  @Post()
  @HttpCode(200)
  @ZapierRoute()
  @ApiOperation({ summary: 'Create or update a sitter by real phone; answers its id (then call POST /attach-number)' })
  @ApiOkResponse({ type: SitterUpsertAnswerDto })
  async upsert(@Body() dto: UpsertSitterDto): Promise<SitterUpsertAnswerDto> {
    const view = await this.sitters.upsert(dto);
    return { ...toSitterAnswer(view), action: view.created ? 'created' : 'updated' };
  }

  @Get(':id')
  @ZapierQuery()
  @ApiOperation({ summary: 'A sitter with its reserved number and status' })
  @ApiOkResponse({ type: SitterAnswerDto })
  @ApiNotFoundResponse({ type: ErrorBodyDto })
  async get(@Param('id') id: string): Promise<SitterAnswerDto> {
    return toSitterAnswer(await this.sitters.get(id));
  }
}
