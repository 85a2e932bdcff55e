import { loadConfig } from '@maskline/config';
import { RedisService } from '@maskline/redis';
import { LimitReachedError } from '../../common/http/app-errors';
import { deleteRedisPrefix, TEST_REDIS_URL, uniquePrefix } from '../../../test/support/redis-cleanup';
import { PurchaseBudget } from './purchase-budget';

describe('PurchaseBudget (real Redis)', () => {
  const prefix = uniquePrefix('t-budget');
  let redis: RedisService;
  let budget: PurchaseBudget;

  beforeAll(async () => {
    const config = loadConfig({ NODE_ENV: 'test', REDIS_URL: TEST_REDIS_URL, REDIS_PREFIX: prefix, MAX_PURCHASES_PER_DAY: '5' });
    redis = new RedisService(config);
    await redis.onModuleInit();
    budget = new PurchaseBudget(redis, config);
  });
  afterEach(() => redis.client.del('inventory:purchase-budget'));
  afterAll(async () => {
    await redis.onApplicationShutdown();
    await deleteRedisPrefix(prefix);
  });

  it('decides a batch in order: each request gets its reservation or the error it would get alone', async () => {
    const decisions = await budget.reserveEach([2, 4, 3, 1]);

    expect(decisions.map((d) => (d instanceof LimitReachedError ? 'refused' : d.members.length))).toEqual([2, 'refused', 3, 'refused']);
    const refused = decisions[1] as LimitReachedError;
    expect(refused.message).toMatch(/at most 5 numbers .* 2 already requested, 4 more asked/);
    expect(refused.headers['Retry-After']).toBe(String(24 * 3600));
  });

  it('gives distinct members to every reservation, and refund frees exactly them', async () => {
    const first = await budget.reserve(2);
    const second = await budget.reserve(3);
    expect(new Set([...first.members, ...second.members]).size).toBe(5);
    await expect(budget.reserve(1)).rejects.toBeInstanceOf(LimitReachedError);

    await budget.refund(first);

    await expect(budget.reserve(2)).resolves.toMatchObject({ members: expect.any(Array) });
    await expect(budget.reserve(1)).rejects.toBeInstanceOf(LimitReachedError);
  });

  it('never lets 50 concurrent callers take more than the cap', async () => {
    const results = await Promise.allSettled(Array.from({ length: 50 }, () => budget.reserve(1)));

    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(5);
    expect(await redis.client.zcard('inventory:purchase-budget')).toBe(5);
  });
});
