import { applyDecorators, UseGuards } from '@nestjs/common';
import { ApiBasicAuth, ApiBearerAuth, ApiConsumes, ApiExtension, ApiForbiddenResponse, ApiHeader, ApiSecurity, ApiUnauthorizedResponse } from '@nestjs/swagger';
import { ErrorBodyDto } from '../http/error-body.dto';
import { IdempotencyGuard } from '../idempotency/idempotency.guard';
import { AdminGuard, ApiKeyGuard, ApiKeyOrAdminGuard, TwilioSignatureGuard } from './auth.guards';

export const SECURITY = { apiKey: 'api_key', bearer: 'bearer', twilio: 'twilio_signature', admin: 'admin' } as const;

/** A route Zapier calls: API key, Idempotency-Key honoured, JSON or form body. */
export const ZapierRoute = () =>
  applyDecorators(
    // in this order: a request without the right key never claims an Idempotency-Key
    UseGuards(ApiKeyGuard, IdempotencyGuard),
    ApiSecurity(SECURITY.apiKey),
    ApiBearerAuth(SECURITY.bearer),
    ApiConsumes('application/json', 'application/x-www-form-urlencoded'),
    ApiHeader({ name: 'Idempotency-Key', required: false, description: 'Replays the first answer for 48 h; 409 while in flight; 422 on a different payload' }),
    ApiUnauthorizedResponse({ description: 'Missing or wrong API key', type: ErrorBodyDto }),
  );

/**
 * A read-only route Zapier calls (no body, so no idempotency). The admin
 * login works too, so the dashboard's links to a record's JSON open in a browser.
 */
export const ZapierQuery = () =>
  applyDecorators(
    UseGuards(ApiKeyOrAdminGuard),
    ApiSecurity(SECURITY.apiKey),
    ApiBearerAuth(SECURITY.bearer),
    ApiBasicAuth(SECURITY.admin),
    ApiUnauthorizedResponse({ description: 'Missing or wrong API key (or admin login)', type: ErrorBodyDto }),
  );

/** A route Twilio calls: signature checked against PUBLIC_BASE_URL. */
export const TwilioWebhook = () =>
  applyDecorators(
    UseGuards(TwilioSignatureGuard),
    ApiSecurity(SECURITY.twilio),
    ApiExtension('x-twilio-only', true),
    ApiConsumes('application/x-www-form-urlencoded'),
    ApiForbiddenResponse({ description: 'Missing or invalid X-Twilio-Signature', type: ErrorBodyDto }),
  );

/** Admin and debug routes: basic auth. */
export const AdminRoute = () =>
  applyDecorators(UseGuards(AdminGuard), ApiBasicAuth(SECURITY.admin), ApiUnauthorizedResponse({ description: 'Admin credentials required', type: ErrorBodyDto }));
