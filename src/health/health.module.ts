import { Controller, Get, Module } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { HealthCheck, HealthCheckService, HealthIndicatorService, TerminusModule } from '@nestjs/terminus';
import { RedisService } from '@maskline/redis';
import { StoreHealth } from '@maskline/store';

/** Liveness for load balancers and ops: 200 when Redis and the store answer, 503 otherwise. */
@ApiTags('ops')
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly indicators: HealthIndicatorService,
    private readonly redis: RedisService,
    private readonly store: StoreHealth,
  ) {}

  @Get()
  @HealthCheck()
  @ApiOperation({ summary: 'Redis and store checks (public, no secrets)' })
  check() {
    return this.health.check([() => this.probe('redis', () => this.redis.ping()), () => this.probe('store', () => this.store.ping(), { driver: this.store.driver })]);
  }

  private async probe(key: string, ping: () => Promise<void>, extra: Record<string, string> = {}) {
    const session = this.indicators.check(key);
    try {
      await Promise.race([ping(), new Promise((_, reject) => setTimeout(() => reject(new Error('timed out after 2 s')), 2000))]);
      return session.up(extra);
    } catch (err) {
      return session.down({ ...extra, message: (err as Error).message });
    }
  }
}

@Module({ imports: [TerminusModule.forRoot({ logger: false })], controllers: [HealthController] })
export class HealthModule {}
