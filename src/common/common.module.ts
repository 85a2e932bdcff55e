import { Global, Module } from '@nestjs/common';
import { AdminGuard } from './auth/admin.guard';
import { ApiKeyGuard } from './auth/api-key.guard';
import { TwilioSignatureGuard } from './auth/twilio-signature.guard';
import { IdempotencyGuard } from './idempotency/idempotency.guard';
import { IdempotencyStore } from './idempotency/idempotency.store';

/** Guards and the idempotency store, usable from every feature module. */
@Global()
@Module({
  providers: [ApiKeyGuard, AdminGuard, TwilioSignatureGuard, IdempotencyStore, IdempotencyGuard],
  exports: [ApiKeyGuard, AdminGuard, TwilioSignatureGuard, IdempotencyStore, IdempotencyGuard],
})
export class CommonModule {}
