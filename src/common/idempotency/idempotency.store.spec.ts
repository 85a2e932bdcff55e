import { loadConfig } from '@maskline/config';
import { RedisService } from '@maskline/redis';
import { deleteRedisPrefix, TEST_REDIS_URL, uniquePrefix } from '../../../test/support/redis-cleanup';
import { IdempotencyStore } from './idempotency.store';

describe('IdempotencyStore (real Redis)', () => {
  const prefix = uniquePrefix('t-idem');
  let redis: RedisService;
  let store: IdempotencyStore;

  beforeAll(async () => {
    const config = loadConfig({ NODE_ENV: 'test', REDIS_URL: TEST_REDIS_URL, REDIS_PREFIX: prefix });
    redis = new RedisService(config);
    await redis.onModuleInit();
    store = new IdempotencyStore(redis, config);
  });
  afterAll(async () => {
    await redis.onApplicationShutdown();
    await deleteRedisPrefix(prefix);
  });

  it('lets one of many simultaneous claims through and shows the others the claim', async () => {
    const results = await Promise.all(Array.from({ length: 10 }, () => store.claim('POST /x k1', 'fp')));
    expect(results.filter((r) => r === null)).toHaveLength(1);
    expect(results.filter((r) => r?.state === 'in_flight')).toHaveLength(9);
  });

  it('keeps a claim 10 minutes (a dead request frees its key) and an answer 48 hours', async () => {
    await store.claim('POST /x k2', 'fp');
    expect(await redis.client.ttl('idem:POST /x k2')).toBeLessThanOrEqual(600);

    await store.complete('POST /x k2', { state: 'done', fingerprint: 'fp', status: 202, body: { ok: true } });
    expect(await redis.client.ttl('idem:POST /x k2')).toBeGreaterThan(47 * 3600);
    expect(await store.claim('POST /x k2', 'fp')).toMatchObject({ state: 'done', status: 202, body: { ok: true } });
  });

  it('release frees the key for the next request', async () => {
    await store.claim('POST /x k3', 'fp');
    await store.release('POST /x k3');
    expect(await store.claim('POST /x k3', 'fp')).toBeNull();
  });
});
