import type { IncomingMessage } from 'node:http';
import { ExecutionContext } from '@nestjs/common';
import { DependencyUnavailableError, ValidationFailedError } from '../http/app-errors';
import { IdempotencyGuard } from './idempotency.guard';
import { claimedRequests } from './idempotency.recorder';
import { IdempotencyStore } from './idempotency.store';

function contextFor(req: { method: string; url: string; headers: Record<string, string>; body?: unknown; raw: object }): ExecutionContext {
  return { switchToHttp: () => ({ getRequest: () => req }) } as unknown as ExecutionContext;
}

const post = (headers: Record<string, string>) => ({ method: 'POST', url: '/numbers/purchase', headers, body: { quantity: 1 }, raw: {} });

describe('IdempotencyGuard', () => {
  it('lets a request without the header through without touching Redis', async () => {
    const claim = jest.fn();
    const guard = new IdempotencyGuard({ claim } as unknown as IdempotencyStore);
    await expect(guard.canActivate(contextFor(post({})))).resolves.toBe(true);
    expect(claim).not.toHaveBeenCalled();
  });

  it('claims the key and marks the request for the recorder', async () => {
    const guard = new IdempotencyGuard({ claim: async () => null } as unknown as IdempotencyStore);
    const req = post({ 'idempotency-key': 'k-1' });
    await expect(guard.canActivate(contextFor(req))).resolves.toBe(true);
    expect(claimedRequests.get(req.raw as IncomingMessage)).toMatchObject({ key: 'POST /numbers/purchase k-1' });
  });

  it('answers 503 (retry later) when Redis cannot take the claim', async () => {
    const guard = new IdempotencyGuard({ claim: async () => Promise.reject(new Error('Connection is closed.')) } as unknown as IdempotencyStore);
    await expect(guard.canActivate(contextFor(post({ 'idempotency-key': 'k-2' })))).rejects.toBeInstanceOf(DependencyUnavailableError);
  });

  it('refuses a key with spaces or over 255 characters, naming the header', async () => {
    const guard = new IdempotencyGuard({ claim: async () => null } as unknown as IdempotencyStore);
    for (const bad of ['has space', 'x'.repeat(256)]) {
      await expect(guard.canActivate(contextFor(post({ 'idempotency-key': bad })))).rejects.toBeInstanceOf(ValidationFailedError);
    }
  });
});
