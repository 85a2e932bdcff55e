import { loadConfig } from '@maskline/config';
import { describeRedis, redisConnectionOptions } from './redis-connections';

const settings = (env: Record<string, string>) => loadConfig({ NODE_ENV: 'test', ...env }).redis;

describe('redisConnectionOptions: one factory for every Redis mode', () => {
  it('reads a redis:// URL: host, port, credentials, database; no TLS', () => {
    expect(redisConnectionOptions(settings({ REDIS_URL: 'redis://app:s%40cret@10.0.0.5:6380/2' }))).toEqual({
      host: '10.0.0.5',
      port: 6380,
      username: 'app',
      password: 's@cret',
      db: 2,
      tls: undefined,
    });
  });

  it('turns TLS on for rediss:// or REDIS_TLS=true, trusting REDIS_TLS_CA_FILE', () => {
    expect(redisConnectionOptions(settings({ REDIS_URL: 'rediss://cache.example.com:6380' }))).toMatchObject({ host: 'cache.example.com', tls: {} });
    const ca = `${__dirname}/redis-connections.spec.ts`; // any readable file stands in for a PEM here
    const options = redisConnectionOptions(settings({ REDIS_URL: 'redis://10.0.0.5:6379', REDIS_TLS: 'true', REDIS_TLS_CA_FILE: ca }));
    expect(options.tls).toEqual({ ca: expect.stringContaining('redisConnectionOptions') });
  });

  it('takes REDIS_USERNAME / REDIS_PASSWORD when the URL carries none', () => {
    expect(redisConnectionOptions(settings({ REDIS_URL: 'redis://10.0.0.5:6379', REDIS_USERNAME: 'svc', REDIS_PASSWORD: 'pw' }))).toMatchObject({ username: 'svc', password: 'pw' });
  });

  it('asks the Sentinels for the named primary', () => {
    const s = settings({ REDIS_SENTINELS: '10.0.0.7:26379,sentinel-b:26380', REDIS_SENTINEL_NAME: 'mymaster', REDIS_PASSWORD: 'pw', REDIS_TLS: 'true' });
    expect(s.mode).toBe('sentinel');
    expect(redisConnectionOptions(s)).toEqual({
      sentinels: [
        { host: '10.0.0.7', port: 26379 },
        { host: 'sentinel-b', port: 26380 },
      ],
      name: 'mymaster',
      username: undefined,
      password: 'pw',
      tls: {},
      enableTLSForSentinelMode: true,
    });
  });

  it('describes where it looks without the password', () => {
    expect(describeRedis(settings({ REDIS_URL: 'redis://app:secret@10.0.0.5:6380/2' }))).toBe('redis://10.0.0.5:6380/2');
    expect(describeRedis(settings({ REDIS_SENTINELS: '10.0.0.7:26379', REDIS_SENTINEL_NAME: 'mymaster' }))).toBe('Sentinel 10.0.0.7:26379 (primary "mymaster")');
  });
});
