import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import { createHash } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { from, Observable, throwError } from 'rxjs';
import { catchError, mergeMap } from 'rxjs/operators';
import { ConflictError, ReplayedResponse, UnprocessableError, ValidationFailedError } from '../http/app-errors';
import { toErrorResponse } from '../http/error-response';
import { IdempotencyStore } from './idempotency.store';

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
 */
@Injectable()
export class IdempotencyInterceptor implements NestInterceptor {
  constructor(private readonly store: IdempotencyStore) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const req = context.switchToHttp().getRequest<FastifyRequest>();
    const header = req.headers['idempotency-key'];
    if (header === undefined || req.method === 'GET') return next.handle();
    const idemKey = Array.isArray(header) ? header[0] : header;
    if (!/^[\x21-\x7e]{1,255}$/.test(idemKey)) {
      return throwError(() => ValidationFailedError.single('Idempotency-Key', 'Idempotency-Key must be 1-255 visible ASCII characters'));
    }
    const path = req.url.split('?')[0];
    const key = `${req.method} ${path} ${idemKey}`;
    const fingerprint = createHash('sha256').update(canonical({ path, body: req.body ?? null })).digest('hex');

    return from(this.store.claim(key, fingerprint)).pipe(
      mergeMap((existing) => {
        if (existing) return throwError(() => this.answerForRepeat(existing, fingerprint));
        return next.handle().pipe(
          mergeMap(async (body) => {
            const status = context.switchToHttp().getResponse<FastifyReply>().statusCode;
            await this.store.complete(key, { state: 'done', fingerprint, status, body, error: false });
            return body;
          }),
          catchError(async (err) => {
            const { status, body } = toErrorResponse(err);
            if (status >= 500) await this.store.release(key);
            else await this.store.complete(key, { state: 'done', fingerprint, status, body, error: true });
            throw err;
          }),
        );
      }),
    );
  }

  private answerForRepeat(existing: Awaited<ReturnType<IdempotencyStore['claim']>> & object, fingerprint: string): Error {
    if (existing.fingerprint !== fingerprint) {
      return new UnprocessableError('Idempotency-Key was already used with a different payload', { field: 'Idempotency-Key' }, 'idempotency_key_reused');
    }
    if (existing.state === 'in_flight') {
      return new ConflictError('A request with this Idempotency-Key is still in progress; retry shortly', { field: 'Idempotency-Key' }, 'idempotency_in_flight');
    }
    return new ReplayedResponse(existing.status, existing.body);
  }
}
