import { Injectable, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { AppConfig } from '@maskline/config';
import { createHash } from 'node:crypto';
import Redis, { RedisOptions } from 'ioredis';
import { createRedisConnection, describeRedis, redisConnectionOptions } from './redis-connections';

/**
 * Owns the process's Redis connections. Our own keys (guards, locks,
 * idempotency, limiter) go through `client`, whose keyPrefix is
 * `${REDIS_PREFIX}:`; BullMQ gets its own connections and the same prefix via
 * its `prefix` option (BullMQ does not support ioredis keyPrefix).
 */
@Injectable()
export class RedisService implements OnModuleInit, OnApplicationShutdown {
  readonly prefix: string;
  /** fails fast when Redis is down (no offline queue), for request-path commands */
  readonly client: Redis;
  private readonly scriptShas = new Map<string, string>();

  constructor(private readonly config: AppConfig) {
    this.prefix = config.redis.prefix;
    this.client = createRedisConnection(config.redis, {
      keyPrefix: `${this.prefix}:`,
      enableOfflineQueue: false,
      maxRetriesPerRequest: 1,
      lazyConnect: false,
    });
    this.client.on('error', () => undefined); // surfaced through commands and /health
  }

  /** the request-path client has no offline queue: be connected before anything uses it */
  async onModuleInit(): Promise<void> {
    if (this.client.status === 'ready') return;
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`Redis at ${describeRedis(this.config.redis)} did not become ready in 10 s`)), 10_000);
      this.client.once('ready', () => {
        clearTimeout(timer);
        resolve();
      });
    });
  }

  /** connection options for BullMQ queues (producers fail fast) and workers (block forever) */
  bullConnection(role: 'producer' | 'worker'): RedisOptions {
    return {
      ...redisConnectionOptions(this.config.redis),
      maxRetriesPerRequest: role === 'worker' ? null : 1,
      enableOfflineQueue: role === 'worker',
    };
  }

  /**
   * Runs a Lua script by its SHA (EVALSHA), loading it once on NOSCRIPT:
   * scripts run on hot paths, and EVAL would resend the whole text every call.
   * Keys get the client's prefix like any other command.
   */
  async evalScript(lua: string, numKeys: number, ...args: (string | number)[]): Promise<unknown> {
    let sha = this.scriptShas.get(lua);
    if (!sha) {
      sha = createHash('sha1').update(lua).digest('hex');
      this.scriptShas.set(lua, sha);
    }
    try {
      return await this.client.evalsha(sha, numKeys, ...args);
    } catch (err) {
      if (!String((err as Error).message).startsWith('NOSCRIPT')) throw err;
      return this.client.eval(lua, numKeys, ...args);
    }
  }

  async ping(): Promise<void> {
    await this.client.ping();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.client.quit().catch(() => undefined);
  }
}
