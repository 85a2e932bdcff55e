import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { createHash } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import { ConflictError, orRedisUnavailable, ReplayedResponse, UnprocessableError, ValidationFailedError } from '../http/app-errors';
import { claimedRequests } from './idempotency.recorder';
import { IdempotencyRecord, IdempotencyStore } from './idempotency.store';

/** JSON with sorted keys, so `{a,b}` and `{b,a}` fingerprint the same. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_k, v) =>
    v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => a.localeCompare(b))) : v,
  );
}

/**
 * `Idempotency-Key` on Zapier routes (Zapier replays steps): the first answer
 * is stored and replayed as it was, 409 while the first is still running, 422
 * when the same key comes with a different payload. Answers the caller can act
 * on (2xx, 4xx) are kept; a 5xx frees the key so a retry does the work again.
 *
 * A guard (after the API-key guard) claims the key; the answer is recorded by
 * the onSend hook in idempotency.recorder.ts. Not a Nest interceptor: an
 * interceptor bound to a route costs every request on it an RxJS pipeline
 * and async-context bindings even without the header, which measurably cut
 * the throughput of POST /numbers/purchase (bench/purchase-latency.ts).
 */
@Injectable()
export class IdempotencyGuard implements CanActivate {
  constructor(private readonly store: IdempotencyStore) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const req = context.switchToHttp().getRequest<FastifyRequest>();
    const header = req.headers['idempotency-key'];
    if (header === undefined || req.method === 'GET') return true;
    const idemKey = Array.isArray(header) ? header[0] : header;
    if (!/^[\x21-\x7e]{1,255}$/.test(idemKey)) {
      throw ValidationFailedError.single('Idempotency-Key', 'Idempotency-Key must be 1-255 visible ASCII characters');
    }
    const path = req.url.split('?')[0];
    const key = `${req.method} ${path} ${idemKey}`;
    const fingerprint = createHash('sha256').update(canonical({ path, body: req.body ?? null })).digest('hex');

    const existing = await orRedisUnavailable(this.store.claim(key, fingerprint), 'Idempotency-Key');
    if (existing) throw this.answerForRepeat(existing, fingerprint);
    claimedRequests.set(req.raw, { key, fingerprint });
    return true;
  }

  private answerForRepeat(existing: IdempotencyRecord, fingerprint: string): Error {
    if (existing.fingerprint !== fingerprint) {
      return new UnprocessableError('Idempotency-Key was already used with a different payload', { field: 'Idempotency-Key' }, 'idempotency_key_reused');
    }
    if (existing.state === 'in_flight') {
      return new ConflictError('A request with this Idempotency-Key is still in progress; retry shortly', { field: 'Idempotency-Key' }, 'idempotency_in_flight');
    }
    return new ReplayedResponse(existing.status, existing.body);
  }
}
