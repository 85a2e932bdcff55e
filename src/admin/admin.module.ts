import { Module } from '@nestjs/common';
import { InterceptModule } from '../intercept/intercept.module';
import { InventoryModule } from '../inventory/inventory.module';
import { AdminActionsService } from './admin-actions.service';
import { AdminController } from './admin.controller';
import { CsrfTokens } from './csrf';
import { DashboardService } from './dashboard.service';
import { OpsSamples } from './ops-samples';

/**
 * The ops dashboard at /admin: figures read from the modules that own them
 * (DashboardService), the hourly samples behind its 30-day chart
 * (OpsSamples, a job scheduler), and its CSRF-protected actions.
 */
@Module({
  imports: [InventoryModule, InterceptModule],
  controllers: [AdminController],
  providers: [DashboardService, AdminActionsService, CsrfTokens, OpsSamples],
})
export class AdminModule {}
