import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { AppConfig } from '@maskline/config';
import type { FastifyRequest } from 'fastify';
import { UnauthorizedError } from '../http/app-errors';
import { safeEqual } from './safe-equal';

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
