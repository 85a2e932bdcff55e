import { Module } from '@nestjs/common';
import { InventoryModule } from '../inventory/inventory.module';
import { MetricsController } from './metrics.controller';
import { MetricsService } from './metrics.service';
import { PoolHealthCache } from './pool-health-cache';

/**
 * GET /metrics (Prometheus text). The counters themselves live in
 * @maskline/metrics, incremented where things happen: the HTTP hook
 * (registerHttpMetrics, in bootstrap), the job worker host, purchases,
 * relay sends, delivery failures, the Airtable gateway.
 */
@Module({
  imports: [InventoryModule],
  controllers: [MetricsController],
  providers: [MetricsService, PoolHealthCache],
  exports: [PoolHealthCache],
})
export class MetricsModule {}
