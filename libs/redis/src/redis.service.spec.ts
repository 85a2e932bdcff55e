import { createHash } from 'node:crypto';
import { loadConfig } from '@maskline/config';
import Redis from 'ioredis';
import { RedisService } from './redis.service';

describe('RedisService.evalScript', () => {
  const prefix = `t-redis-${process.pid}-${Date.now()}`;
  const redis = new RedisService(loadConfig({ REDIS_URL: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', REDIS_PREFIX: prefix }));

  beforeAll(() => redis.onModuleInit());
  afterAll(async () => {
    await redis.client.del('counter');
    await redis.onApplicationShutdown();
  });

  it('loads the script once on NOSCRIPT, then runs it by SHA with prefixed keys', async () => {
    // unique text, so the server has never seen it: the first call takes the NOSCRIPT path
    const lua = `-- ${prefix}\nreturn redis.call('incrby', KEYS[1], ARGV[1])`;
    expect(await redis.evalScript(lua, 1, 'counter', 2)).toBe(2);
    expect(await redis.evalScript(lua, 1, 'counter', 3)).toBe(5);
    const raw = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
    expect(await raw.get(`${prefix}:counter`)).toBe('5');
    raw.disconnect();
    const shaKnown = (await redis.client.script('EXISTS', createHash('sha1').update(lua).digest('hex'))) as number[];
    expect(shaKnown[0]).toBe(1);
  });
});
