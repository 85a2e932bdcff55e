import Fastify from 'fastify';
import { claimedRequests, registerIdempotencyRecorder } from './idempotency.recorder';
import { IdempotencyStore } from './idempotency.store';

function fakeStore(fail = false) {
  const calls: { op: string; key: string; status?: number; body?: unknown }[] = [];
  const store = {
    async complete(key: string, record: { status: number; body: unknown }) {
      if (fail) throw new Error('Redis down');
      calls.push({ op: 'complete', key, status: record.status, body: record.body });
    },
    async release(key: string) {
      if (fail) throw new Error('Redis down');
      calls.push({ op: 'release', key });
    },
  } as unknown as IdempotencyStore;
  return { store, calls };
}

async function appWith(store: IdempotencyStore) {
  const app = Fastify();
  registerIdempotencyRecorder(app, store);
  app.post('/claimed/:status', async (req, reply) => {
    claimedRequests.set(req.raw, { key: 'k', fingerprint: 'fp' });
    return reply.code(Number((req.params as { status: string }).status)).send({ answer: 42 });
  });
  app.post('/unclaimed', async () => ({ answer: 1 }));
  await app.ready();
  return app;
}

describe('registerIdempotencyRecorder', () => {
  it('stores a claimed 2xx or 4xx answer as sent, and frees the key on a 5xx', async () => {
    const { store, calls } = fakeStore();
    const app = await appWith(store);
    await app.inject({ method: 'POST', url: '/claimed/202' });
    await app.inject({ method: 'POST', url: '/claimed/400' });
    await app.inject({ method: 'POST', url: '/claimed/503' });
    expect(calls).toEqual([
      { op: 'complete', key: 'k', status: 202, body: { answer: 42 } },
      { op: 'complete', key: 'k', status: 400, body: { answer: 42 } },
      { op: 'release', key: 'k' },
    ]);
    await app.close();
  });

  it('leaves requests that claimed nothing alone', async () => {
    const { store, calls } = fakeStore();
    const app = await appWith(store);
    await app.inject({ method: 'POST', url: '/unclaimed' });
    expect(calls).toEqual([]);
    await app.close();
  });

  it('still sends the answer when Redis cannot record it', async () => {
    const app = await appWith(fakeStore(true).store);
    const res = await app.inject({ method: 'POST', url: '/claimed/202' });
    expect(res.statusCode).toBe(202);
    expect(res.json()).toEqual({ answer: 42 });
    await app.close();
  });
});
