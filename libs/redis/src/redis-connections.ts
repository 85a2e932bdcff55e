import type { AppConfig } from '@maskline/config';
import Redis, { RedisOptions } from 'ioredis';

export type RedisSettings = AppConfig['redis'];

/**
 * The one place a Redis connection's options are made, for every mode:
 * a single server from REDIS_URL (`redis://`, or `rediss://` for TLS, with
 * its username, password and database), or the primary that the Sentinels of
 * REDIS_SENTINELS name for REDIS_SENTINEL_NAME (ioredis asks them, and asks
 * again after a failover). TLS trusts REDIS_TLS_CA_FILE besides the system's
 * CAs, for a managed Redis with its own CA or a self-signed test one.
 * Queues, workers, locks, the limiter and idempotency all connect through it.
 */
export function redisConnectionOptions(settings: RedisSettings): RedisOptions {
  const tls = settings.tls ? (settings.tlsCa ? { ca: settings.tlsCa } : {}) : undefined;
  if (settings.mode === 'sentinel') {
    return {
      sentinels: settings.sentinels,
      name: settings.sentinelName,
      username: settings.username,
      password: settings.password,
      tls,
      // the Sentinels speak TLS too when the data nodes do (managed offerings run both behind it)
      enableTLSForSentinelMode: settings.tls,
    };
  }
  const url = new URL(settings.url);
  return {
    host: url.hostname,
    port: Number(url.port || 6379),
    username: url.username ? decodeURIComponent(url.username) : settings.username,
    password: url.password ? decodeURIComponent(url.password) : settings.password,
    db: url.pathname.length > 1 ? Number(url.pathname.slice(1)) : 0,
    tls,
  };
}

export function createRedisConnection(settings: RedisSettings, overrides: RedisOptions = {}): Redis {
  return new Redis({ ...redisConnectionOptions(settings), ...overrides });
}

/** where the service looks for Redis, for messages: never a password */
export function describeRedis(settings: RedisSettings): string {
  if (settings.mode === 'sentinel') return `Sentinel ${settings.sentinels.map((s) => `${s.host}:${s.port}`).join(',')} (primary "${settings.sentinelName}")`;
  const url = new URL(settings.url);
  return `${url.protocol}//${url.host}${url.pathname.length > 1 ? url.pathname : ''}`;
}
