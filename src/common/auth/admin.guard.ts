import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { AppConfig } from '@maskline/config';
import type { FastifyRequest } from 'fastify';
import { UnauthorizedError } from '../http/app-errors';
import { ADMIN_CHALLENGE, basicAuthMatches } from './safe-equal';

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
