import request from 'supertest';
import Redis from 'ioredis';
import { loadConfig } from '@maskline/config';
import { createRedisConnection } from '@maskline/redis';
import { waitFor } from '../resilience/support/processes';
import { waitForSettled } from '../inventory/support/inventory-fixtures';
import { phoneFor, RelayWorld } from '../relay/support/relay-world';
import { startTestApp, TestApp } from '../support/test-app';
import { RedisTopology } from './support/redis-topology';

jest.setTimeout(120_000);

/** A purchase and a relayed text through the whole service: every queue, lock and guard on this Redis. */
async function purchaseAndText(t: TestApp, world: RelayWorld, label: string): Promise<void> {
  const res = await request(t.url).post('/numbers/purchase').set(t.auth).send({ lifecycle: 'pool', area_code: '720' }).expect(202);
  expect(await waitForSettled(t, res.body.number_inventory_id, 60_000)).toMatchObject({ status: 'ready' });
  const sitter = await world.addSitter(`Sitter ${label}`);
  await world.text({ from: phoneFor('client'), to: sitter.reserved, body: `hello ${label}` });
  const [relayed] = await world.waitForSent(sitter.sitter.phone, 1, 60_000);
  expect(relayed.body).toMatch(new RegExp(`: hello ${label}$`));
}

describe('Redis over TLS (rediss:// and a CA of its own)', () => {
  let redis: RedisTopology;
  let t: TestApp | undefined;
  let port: number;
  let ca: string;

  beforeAll(async () => {
    redis = await RedisTopology.create();
    const certs = await redis.certificates();
    ca = certs.ca;
    port = (await redis.server('redis-tls', (p) => ['--port', '0', '--tls-port', String(p), '--tls-cert-file', certs.cert, '--tls-key-file', certs.key, '--tls-ca-cert-file', certs.ca, '--tls-auth-clients', 'no'])).port;
  });
  afterAll(async () => {
    await t?.close({ keepRedis: true });
    await redis.stop();
  });

  it('refuses the self-signed server without the CA, and runs the whole service with REDIS_TLS_CA_FILE', async () => {
    const untrusted = createRedisConnection(loadConfig({ NODE_ENV: 'test', REDIS_URL: `rediss://127.0.0.1:${port}` }).redis, { lazyConnect: true, retryStrategy: () => null, maxRetriesPerRequest: 0 });
    const errors: string[] = [];
    untrusted.on('error', (error: Error) => errors.push(error.message));
    await expect(untrusted.connect()).rejects.toThrow();
    expect(errors.join(' ')).toMatch(/self[- ]signed|unable to verify/i);
    untrusted.disconnect();

    t = await startTestApp({ env: { REDIS_URL: `rediss://127.0.0.1:${port}`, REDIS_TLS_CA_FILE: ca } });
    await request(t.url).get('/health').expect(200);
    await purchaseAndText(t, new RelayWorld(t), 'tls');
  });
});

describe('Redis behind Sentinel: the service follows a failover by itself', () => {
  let redis: RedisTopology;
  let t: TestApp | undefined;
  let primary: Awaited<ReturnType<RedisTopology['server']>>;
  let replica: Awaited<ReturnType<RedisTopology['server']>>;
  let sentinelPort: number;

  beforeAll(async () => {
    redis = await RedisTopology.create();
    primary = await redis.server('primary', (p) => ['--port', String(p)]);
    replica = await redis.server('replica', (p) => ['--port', String(p), '--replicaof', '127.0.0.1', String(primary.port)]);
    sentinelPort = (await redis.sentinel(primary.port)).port;
  });
  afterAll(async () => {
    await t?.close({ keepRedis: true });
    await redis.stop();
  });

  it('keeps working after the primary is SIGKILLed and the replica promoted; what was acknowledged before is still there', async () => {
    t = await startTestApp({ env: { REDIS_SENTINELS: `127.0.0.1:${sentinelPort}`, REDIS_SENTINEL_NAME: 'mymaster' } });
    const world = new RelayWorld(t);
    await purchaseAndText(t, world, 'before');

    // the replica has everything the primary acknowledged (asynchronous replication: wait for it before the kill)
    const onPrimary = new Redis(primary.port, '127.0.0.1');
    await onPrimary.wait(1, 5_000);
    const keysBefore = (await onPrimary.keys(`${t.prefix}:*`)).length + (await onPrimary.keys(`${t.prefix}*`)).length;
    onPrimary.disconnect();
    await primary.process.kill('SIGKILL');

    const sentinel = new Redis(sentinelPort, '127.0.0.1');
    await waitFor('Sentinel to promote the replica', async () => (await sentinel.call('SENTINEL', 'get-master-addr-by-name', 'mymaster') as string[])[1] === String(replica.port), 30_000);
    sentinel.disconnect();

    await waitFor('the service to answer /health again', async () => (await request(t!.url).get('/health')).status === 200, 30_000, 500);
    await purchaseAndText(t, world, 'after');

    const onReplica = new Redis(replica.port, '127.0.0.1');
    expect((await onReplica.keys(`${t.prefix}:*`)).length + (await onReplica.keys(`${t.prefix}*`)).length).toBeGreaterThanOrEqual(keysBefore);
    onReplica.disconnect();
  });
});
