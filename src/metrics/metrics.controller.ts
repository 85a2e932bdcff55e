import { Controller, Get, Header, Res, UseGuards } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { MetricsGuard } from '../common/auth/auth.guards';
import { MetricsService } from './metrics.service';

// Prometheus scrapes it, people do not: kept out of the Swagger document (docs/operations.md describes it).
@ApiExcludeController()
@Controller('metrics')
export class MetricsController {
  constructor(private readonly metrics: MetricsService) {}

  @Get()
  @UseGuards(MetricsGuard)
  @Header('Cache-Control', 'no-store')
  async scrape(@Res() reply: FastifyReply): Promise<void> {
    const text = await this.metrics.render();
    await reply.type(this.metrics.contentType).send(text);
  }
}
