import { Injectable } from '@nestjs/common';
import { createHash, createHmac } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import { AppConfig } from '@maskline/config';
import { safeEqual } from '../common/auth/safe-equal';
import { ForbiddenError } from '../common/http/app-errors';

const VALID_FOR_MS = 12 * 3600_000;
export const CSRF_FIELD = 'csrf_token';

/**
 * The dashboard's forms against cross-site requests. Basic auth is sent by
 * the browser on any request to this host, a forged one too, so an action
 * needs both:
 * - a token only a page of ours can hold: issued-at + HMAC of it under a key
 *   derived from the admin login (another site cannot read our page);
 * - a same-origin request: `Sec-Fetch-Site` (when the browser sends it) is
 *   same-origin, and `Origin` (when present) is this service's own.
 */
@Injectable()
export class CsrfTokens {
  private readonly key: Buffer;
  private readonly ownOrigin: string;

  constructor(config: AppConfig) {
    this.key = createHash('sha256').update(`maskline-csrf\0${config.auth.adminUsername}\0${config.auth.adminPassword}`).digest();
    this.ownOrigin = new URL(config.http.publicBaseUrl).origin;
  }

  issue(now = Date.now()): string {
    return `${now}.${this.sign(String(now))}`;
  }

  /** throws ForbiddenError (403) unless the request is a same-origin post carrying a fresh token */
  check(req: FastifyRequest, token: unknown, now = Date.now()): void {
    const site = req.headers['sec-fetch-site'];
    if (site !== undefined && site !== 'same-origin') throw new ForbiddenError('Cross-site request refused', { reason: 'sec-fetch-site', value: String(site) });
    const origin = req.headers.origin;
    if (origin !== undefined && origin !== this.ownOrigin && origin !== requestOrigin(req)) {
      throw new ForbiddenError('Cross-site request refused', { reason: 'origin' });
    }
    if (typeof token !== 'string' || !/^\d{1,15}\.[0-9a-f]{64}$/.test(token)) throw new ForbiddenError('Missing or malformed CSRF token', { field: CSRF_FIELD });
    const [issued, signature] = token.split('.');
    const age = now - Number(issued);
    if (!safeEqual(signature, this.sign(issued)) || age < 0 || age > VALID_FOR_MS) {
      throw new ForbiddenError('Invalid or expired CSRF token: reload the dashboard', { field: CSRF_FIELD });
    }
  }

  private sign(value: string): string {
    return createHmac('sha256', this.key).update(value).digest('hex');
  }
}

/** the origin this request was addressed to (behind a proxy: what PUBLIC_BASE_URL says wins anyway) */
function requestOrigin(req: FastifyRequest): string {
  return `${req.protocol}://${req.host}`;
}
