import { Global, Module } from '@nestjs/common';
import { AdminGuard } from './auth/admin.guard';
import { ApiKeyGuard } from './auth/api-key.guard';
import { TwilioSignatureGuard } from './auth/twilio-signature.guard';
import { IdempotencyInterceptor } from './idempotency/idempotency.interceptor';
import { IdempotencyStore } from './idempotency/idempotency.store';

/** Guards and the idempotency interceptor, usable from every feature module. */
@Global()
@Module({
  providers: [ApiKeyGuard, AdminGuard, TwilioSignatureGuard, IdempotencyStore, IdempotencyInterceptor],
  exports: [ApiKeyGuard, AdminGuard, TwilioSignatureGuard, IdempotencyStore, IdempotencyInterceptor],
})
export class CommonModule {}
