import type { IncomingMessage } from 'node:http';
import type { FastifyInstance } from 'fastify';
import { IdempotencyStore } from './idempotency.store';

/** requests whose Idempotency-Key this process claimed (IdempotencyGuard), until their answer is recorded */
export const claimedRequests = new WeakMap<IncomingMessage, { key: string; fingerprint: string }>();

/**
 * Records the answer of every request that claimed an Idempotency-Key, as it
 * is sent (success, validation failure or any other error alike): a 5xx frees
 * the key, anything else is stored for replay. The hook awaits the write, so a
 * client retrying the moment it has the answer gets the replay, never a 409.
 * Register before the routes (Fastify binds root hooks to routes as they are added).
 */
export function registerIdempotencyRecorder(fastify: FastifyInstance, store: IdempotencyStore): void {
  fastify.addHook('onSend', async (request, reply, payload) => {
    const claim = claimedRequests.get(request.raw);
    if (!claim) return payload;
    claimedRequests.delete(request.raw);
    const status = reply.statusCode;
    try {
      if (status >= 500) await store.release(claim.key);
      else await store.complete(claim.key, { state: 'done', fingerprint: claim.fingerprint, status, body: parseJson(payload) });
    } catch (error) {
      // the work is done: its answer still goes out; the claim expires on its own, and
      // until then a repeat gets 409, never a second run
      request.log.warn({ err: error }, 'could not record the answer for an Idempotency-Key');
    }
    return payload;
  });
}

/** answers on these routes are JSON; anything else is kept as the text it was */
function parseJson(payload: unknown): unknown {
  if (typeof payload !== 'string') return payload ?? null;
  try {
    return JSON.parse(payload);
  } catch {
    return payload;
  }
}
