import { Global, Module } from '@nestjs/common';
import { AdminGuard, ApiKeyGuard, ApiKeyOrAdminGuard, MetricsGuard, TwilioSignatureGuard } from './auth/auth.guards';
import { IdempotencyGuard } from './idempotency/idempotency.guard';
import { IdempotencyStore } from './idempotency/idempotency.store';

/** Guards and the idempotency store, usable from every feature module. */
@Global()
@Module({
  providers: [ApiKeyGuard, ApiKeyOrAdminGuard, MetricsGuard, AdminGuard, TwilioSignatureGuard, IdempotencyStore, IdempotencyGuard],
  exports: [ApiKeyGuard, ApiKeyOrAdminGuard, MetricsGuard, AdminGuard, TwilioSignatureGuard, IdempotencyStore, IdempotencyGuard],
})
export class CommonModule {}
