import { startTestApp, TestApp } from '../support/test-app';
import { phoneFor, RelayWorld } from './support/relay-world';

jest.setTimeout(120_000);

describe('relay under concurrency: first texts at once, pool exhaustion', () => {
  let t: TestApp;
  let world: RelayWorld;

  beforeAll(async () => {
    t = await startTestApp();
    world = new RelayWorld(t);
    await world.addPoolNumbers(50);
  });
  afterAll(async () => {
    await t?.close();
  });

  /** pool numbers the sitter's sessions hold, one per client */
  async function sessionPoolNumbers(sitterId: string, clientPhones: string[]): Promise<string[]> {
    const numbers: string[] = [];
    for (const phone of clientPhones) {
      const client = await world.clients.findByPhone(phone);
      const session = client && (await world.sessions.findActiveForClientAndSitter(client.id, sitterId));
      if (session) numbers.push(session.poolNumber);
    }
    return numbers;
  }

  it('50 first texts from 50 clients to one sitter at once: 50 sessions on 50 distinct pool numbers', async () => {
    const { sitter, reserved } = await world.addSitter('Busy Sitter');
    const clients = Array.from({ length: 50 }, () => phoneFor('client'));
    const answers = await Promise.all(clients.map((from, i) => world.text({ from, to: reserved, body: `hello ${i}` })));
    expect(answers.every((a) => a.status === 200)).toBe(true);

    const received = await world.waitForSent(sitter.phone, 50, 30_000);
    await world.waitForRelayIdle();
    expect(received).toHaveLength(50);
    expect(new Set(received.map((m) => m.from)).size).toBe(50);
    // each client's thread arrives on its own number
    for (const [i, from] of clients.entries()) {
      const mine = received.filter((m) => m.body === `[Client ...${from.slice(-4)}]: hello ${i}`);
      expect(mine).toHaveLength(1);
    }
    const held = await sessionPoolNumbers(sitter.id, clients);
    expect(held).toHaveLength(50);
    expect(new Set(held).size).toBe(50);
    expect(t.sim.purchases).toHaveLength(0);
  });

  it('two first texts of one client at once open one session on one number', async () => {
    const { sitter, reserved } = await world.addSitter('Pair Sitter');
    const from = phoneFor('client');
    await Promise.all([world.text({ from, to: reserved, body: 'one' }), world.text({ from, to: reserved, body: 'two' })]);
    const received = await world.waitForSent(sitter.phone, 2);
    expect(new Set(received.map((m) => m.from)).size).toBe(1);
    const opened = (await world.auditEvents('session_opened')).filter((e) => e.sitterId === sitter.id);
    expect(opened).toHaveLength(1);
  });

  it('pool smaller than the burst: the rest are held, one exhaustion purchase at a time, nothing dropped', async () => {
    const { sitter, reserved } = await world.addSitter('Crowded Sitter');
    const ready = (await world.numbers.listReadyPool()).length;
    const extra = 4;
    const clients = Array.from({ length: ready + extra }, () => phoneFor('client'));
    await Promise.all(clients.map((from, i) => world.text({ from, to: reserved, body: `burst ${i}` })));

    // every free number is used at once; the others wait for purchases
    await world.waitForSent(sitter.phone, ready, 30_000);
    const received = await world.waitForSent(sitter.phone, ready + extra, 60_000);
    await world.waitForRelayIdle(30_000);

    expect(received).toHaveLength(ready + extra);
    expect(new Set(received.map((m) => m.body)).size).toBe(ready + extra);
    expect(new Set(received.map((m) => m.from)).size).toBe(ready + extra);
    const held = await sessionPoolNumbers(sitter.id, clients);
    expect(new Set(held).size).toBe(ready + extra);

    // exactly the shortfall was bought, one purchase pending at any moment (deduplicated)
    expect(t.sim.purchases).toHaveLength(extra);
    const purchases = (await world.auditEvents('pool_purchase')).filter((e) => e.details.trigger === 'pool_exhausted');
    expect(purchases).toHaveLength(extra);
    const heldEvents = (await world.auditEvents('relay_held_pool_exhausted')).filter((e) => e.sitterId === sitter.id);
    expect(heldEvents.length).toBeGreaterThanOrEqual(extra);
  });
});
