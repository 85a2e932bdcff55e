import { Worker } from 'bullmq';
import { AddressInfo, createServer, Server, Socket } from 'node:net';
import { TEST_REDIS_URL } from '../../../test/support/redis-cleanup';
import { settleBullConnections } from './bullmq-settle';

const REDIS_URL = new URL(TEST_REDIS_URL);
const REPLY_DELAY_MS = 150;

/** a TCP proxy to the real Redis that holds every reply back a little: BullMQ's start-up stays in flight longer */
async function startSlowRedisProxy(): Promise<{ port: number; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const server: Server = createServer((client) => {
    const upstream = new Socket().connect(Number(REDIS_URL.port || 6379), REDIS_URL.hostname);
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on('error', () => undefined);
      s.on('close', () => (s === client ? upstream : client).destroy());
    }
    client.on('data', (d) => upstream.write(d));
    upstream.on('data', (d) => setTimeout(() => !client.destroyed && client.write(d), REPLY_DELAY_MS));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    close: () => {
      sockets.forEach((s) => s.destroy());
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

describe('settleBullConnections', () => {
  it('lets a worker closed while still connecting shut down without an unhandled error', async () => {
    const proxy = await startSlowRedisProxy();
    const unhandled: unknown[] = [];
    const onUnhandled = (e: unknown) => unhandled.push(e);
    process.on('unhandledRejection', onUnhandled);
    try {
      const worker = new Worker('settle-spec', async () => undefined, {
        connection: { host: '127.0.0.1', port: proxy.port, maxRetriesPerRequest: null },
        prefix: `t-settle-${process.pid}`,
        autorun: false,
      });
      worker.on('error', () => undefined);
      // ioredis is ready (its ready check took two round trips); BullMQ's own INFO is still on its way
      await new Promise((r) => setTimeout(r, REPLY_DELAY_MS * 2.5));
      await settleBullConnections(worker);
      await worker.close();
      await new Promise((r) => setTimeout(r, REPLY_DELAY_MS * 3));
      expect(unhandled).toEqual([]);
    } finally {
      process.off('unhandledRejection', onUnhandled);
      await proxy.close();
    }
  });

  it('gives up after the bound when Redis never answers', async () => {
    const started = Date.now();
    await settleBullConnections({ waitUntilReady: () => new Promise(() => undefined) }, 100);
    expect(Date.now() - started).toBeGreaterThanOrEqual(90);
  });

  it('treats a failed connection as settled', async () => {
    await expect(settleBullConnections({ waitUntilReady: () => Promise.reject(new Error('refused')) })).resolves.toBeUndefined();
  });
});
