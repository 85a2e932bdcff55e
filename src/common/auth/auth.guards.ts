import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { AppConfig } from '@maskline/config';
import type { FastifyRequest } from 'fastify';
import { validateRequest } from 'twilio';
import { ForbiddenError, UnauthorizedError } from '../http/app-errors';
import { ADMIN_CHALLENGE, basicAuthMatches, safeEqual } from './safe-equal';

// The three route kinds' credentials (applied through route-kinds.decorator.ts).

/** Zapier-facing routes: `X-Api-Key: <key>` or `Authorization: Bearer <key>`. */
@Injectable()
export class ApiKeyGuard implements CanActivate {
  constructor(private readonly config: AppConfig) {}

  canActivate(context: ExecutionContext): boolean {
    const req = context.switchToHttp().getRequest<FastifyRequest>();
    const header = req.headers['x-api-key'];
    const bearer = /^Bearer\s+(.+)$/i.exec(req.headers.authorization ?? '')?.[1];
    const given = (Array.isArray(header) ? header[0] : header) ?? bearer;
    if (!given) throw new UnauthorizedError('Missing API key: send X-Api-Key or Authorization: Bearer');
    if (!safeEqual(given.trim(), this.config.auth.apiKey)) throw new UnauthorizedError('Invalid API key');
    return true;
  }
}

/**
 * Read-only routes: the API key, or the admin login, so the dashboard's
 * links to a record's JSON open in the admin's browser.
 */
@Injectable()
export class ApiKeyOrAdminGuard implements CanActivate {
  private readonly apiKey: ApiKeyGuard;

  constructor(private readonly config: AppConfig) {
    this.apiKey = new ApiKeyGuard(config);
  }

  canActivate(context: ExecutionContext): boolean {
    const req = context.switchToHttp().getRequest<FastifyRequest>();
    if (basicAuthMatches(req.headers.authorization, this.config.auth.adminUsername, this.config.auth.adminPassword)) return true;
    return this.apiKey.canActivate(context);
  }
}

/** /metrics: `Authorization: Bearer <METRICS_TOKEN>` (a Prometheus scraper) or the admin login. */
@Injectable()
export class MetricsGuard implements CanActivate {
  constructor(private readonly config: AppConfig) {}

  canActivate(context: ExecutionContext): boolean {
    const req = context.switchToHttp().getRequest<FastifyRequest>();
    const { metricsToken, adminUsername, adminPassword } = this.config.auth;
    const bearer = /^Bearer\s+(.+)$/i.exec(req.headers.authorization ?? '')?.[1];
    if (metricsToken && bearer && safeEqual(bearer.trim(), metricsToken)) return true;
    if (basicAuthMatches(req.headers.authorization, adminUsername, adminPassword)) return true;
    throw new UnauthorizedError('Metrics need Authorization: Bearer <METRICS_TOKEN> or the admin login', ADMIN_CHALLENGE);
  }
}

/** Admin and debug routes: HTTP basic auth with ADMIN_USERNAME / ADMIN_PASSWORD. */
@Injectable()
export class AdminGuard implements CanActivate {
  constructor(private readonly config: AppConfig) {}

  canActivate(context: ExecutionContext): boolean {
    const req = context.switchToHttp().getRequest<FastifyRequest>();
    if (!basicAuthMatches(req.headers.authorization, this.config.auth.adminUsername, this.config.auth.adminPassword)) {
      throw new UnauthorizedError('Admin credentials required', ADMIN_CHALLENGE);
    }
    return true;
  }
}

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
