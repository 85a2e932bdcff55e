import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { AppConfig } from '@maskline/config';
import type { FastifyRequest } from 'fastify';
import { validateRequest } from 'twilio';
import { ForbiddenError } from '../http/app-errors';

/**
 * Twilio webhooks: `X-Twilio-Signature` checked with the SDK's own helper
 * against PUBLIC_BASE_URL + the request path and query. The URL is never
 * rebuilt from Host/X-Forwarded-* headers, which a caller controls.
 * (`twilio.webhook()` is Express middleware, hence this guard under Fastify.)
 */
@Injectable()
export class TwilioSignatureGuard implements CanActivate {
  constructor(private readonly config: AppConfig) {}

  canActivate(context: ExecutionContext): boolean {
    const req = context.switchToHttp().getRequest<FastifyRequest>();
    const signature = req.headers['x-twilio-signature'];
    if (typeof signature !== 'string' || !signature) throw new ForbiddenError('Missing X-Twilio-Signature');
    const url = this.config.http.publicBaseUrl + req.url;
    const params = req.body && typeof req.body === 'object' ? (req.body as Record<string, unknown>) : {};
    if (!validateRequest(this.config.twilio.authToken, signature, url, params)) {
      throw new ForbiddenError('Invalid X-Twilio-Signature');
    }
    return true;
  }
}
