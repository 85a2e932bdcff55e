import type { FastifyRequest } from 'fastify';
import { AppConfig } from '@maskline/config';
import { ForbiddenError } from '../common/http/app-errors';
import { CsrfTokens } from './csrf';

const config = (password = 'admin-password-123') =>
  ({ auth: { adminUsername: 'ops', adminPassword: password }, http: { publicBaseUrl: 'https://relay.example.com' } }) as unknown as AppConfig;

const post = (headers: Record<string, string> = {}) => ({ headers, protocol: 'https', host: 'relay.example.com' }) as unknown as FastifyRequest;

describe('CsrfTokens', () => {
  const tokens = new CsrfTokens(config());
  const now = Date.UTC(2026, 0, 1);

  it('accepts its own fresh token on a same-origin post', () => {
    expect(() => tokens.check(post({ origin: 'https://relay.example.com', 'sec-fetch-site': 'same-origin' }), tokens.issue(now), now + 60_000)).not.toThrow();
    // older browsers send neither header: the token alone decides
    expect(() => tokens.check(post(), tokens.issue(now), now)).not.toThrow();
  });

  it.each([
    ['no token', undefined],
    ['a malformed token', 'abc'],
    ['a token of another admin login', new CsrfTokens(config('another-password-1')).issue(now)],
    ['an expired token', tokens.issue(now - 13 * 3600_000)],
    ['a token from the future', tokens.issue(now + 3600_000)],
  ])('refuses %s', (_what, token) => {
    expect(() => tokens.check(post({ origin: 'https://relay.example.com' }), token, now)).toThrow(ForbiddenError);
  });

  it.each([
    [{ origin: 'https://evil.example' }],
    [{ origin: 'null' }],
    [{ 'sec-fetch-site': 'cross-site' }],
    [{ 'sec-fetch-site': 'same-site' }],
  ])('refuses a cross-site post even with a valid token: %j', (headers) => {
    expect(() => tokens.check(post(headers), tokens.issue(now), now)).toThrow(ForbiddenError);
  });
});
