import { Client, Session, Sitter } from '../domain';
import { OpenSessionResult, UniqueConflictError } from '../ports';
import { addClient, addReadyNumber, addReadyPool, addSitter, addSitterWithReservedNumber, nextPhone, tryOpenSession } from './fixtures';
import { CurrentStore, StorePorts } from './store-ports';

/** generous: a remote driver serialises these through a rate limiter */
const RACE_TIMEOUT_MS = 60_000;

function sessionsOf(results: OpenSessionResult[]): Session[] {
  return results.flatMap((r) => (r.outcome === 'exhausted' ? [] : [r.session]));
}

async function sitterWithClients(ports: StorePorts, count: number): Promise<{ sitter: Sitter; clients: Client[] }> {
  const sitter = await addSitterWithReservedNumber(ports);
  return { sitter, clients: await Promise.all(Array.from({ length: count }, () => addClient(ports))) };
}

export function describeConcurrencyContract(store: CurrentStore): void {
  describe('concurrency', () => {
    it(
      '20 simultaneous findOrCreateByPhone of one phone give one client',
      async () => {
        const { clients } = store();
        const phone = nextPhone();

        const results = await Promise.all(Array.from({ length: 20 }, () => clients.findOrCreateByPhone(phone)));
        expect(new Set(results.map((r) => r.client.id)).size).toBe(1);
        expect(results.filter((r) => r.created)).toHaveLength(1);
        expect((await clients.findByPhone(phone))?.id).toBe(results[0].client.id);
      },
      RACE_TIMEOUT_MS,
    );

    it(
      '20 simultaneous first contacts and syncs of one phone give one client',
      async () => {
        const { clients } = store();
        const phone = nextPhone();
        const sync = { timeToPetId: 'ttp-race', firstName: 'Race', lastName: 'Client', email: null, phone, address: null };

        const results = await Promise.all(
          Array.from({ length: 20 }, (_, i) =>
            i % 2 === 0 ? clients.findOrCreateByPhone(phone) : clients.upsertFromSync(sync),
          ),
        );
        const ids = new Set(results.map((r) => r.client.id));
        expect(ids.size).toBe(1);
        const [id] = [...ids];
        expect(await clients.findByPhone(phone)).toMatchObject({ id, source: 'sync', name: 'Race Client', timeToPetId: 'ttp-race' });
        expect((await clients.findByTimeToPetId('ttp-race'))?.id).toBe(id);
      },
      RACE_TIMEOUT_MS,
    );

    it(
      '20 simultaneous first texts from 20 clients of one sitter take 20 distinct pool numbers',
      async () => {
        const ports = store();
        const pool = await addReadyPool(ports, 20);
        const { sitter, clients } = await sitterWithClients(ports, 20);

        const results = await Promise.all(clients.map((c) => tryOpenSession(ports, c, sitter)));
        expect(results.map((r) => r.outcome)).toEqual(Array(20).fill('created'));
        const poolNumbers = sessionsOf(results).map((s) => s.poolNumber);
        expect(new Set(poolNumbers).size).toBe(20);
        expect(poolNumbers.sort()).toEqual(pool.map((n) => n.phoneNumber).sort());
        expect(await ports.sessions.countActive()).toBe(20);
      },
      RACE_TIMEOUT_MS,
    );

    it(
      '20 simultaneous first texts with 5 pool numbers: 5 created, 15 exhausted, never two on one number',
      async () => {
        const ports = store();
        await addReadyPool(ports, 5);
        const { sitter, clients } = await sitterWithClients(ports, 20);

        const results = await Promise.all(clients.map((c) => tryOpenSession(ports, c, sitter)));
        expect(results.filter((r) => r.outcome === 'created')).toHaveLength(5);
        expect(results.filter((r) => r.outcome === 'exhausted')).toHaveLength(15);
        expect(new Set(sessionsOf(results).map((s) => s.poolNumber)).size).toBe(5);
        expect(await ports.sessions.countAll()).toBe(5);
      },
      RACE_TIMEOUT_MS,
    );

    it(
      '10 simultaneous first texts of one client to one sitter open one session',
      async () => {
        const ports = store();
        await addReadyPool(ports, 3);
        const sitter = await addSitterWithReservedNumber(ports);
        const client = await addClient(ports);

        const results = await Promise.all(Array.from({ length: 10 }, () => tryOpenSession(ports, client, sitter)));
        const sessions = sessionsOf(results);
        expect(sessions).toHaveLength(10);
        expect(new Set(sessions.map((s) => s.id)).size).toBe(1);
        expect(results.filter((r) => r.outcome === 'created')).toHaveLength(1);
        expect(await ports.sessions.countAll()).toBe(1);
      },
      RACE_TIMEOUT_MS,
    );

    it(
      '10 simultaneous assignments of one standby number to different sitters: exactly one wins',
      async () => {
        const ports = store();
        const standby = await addReadyNumber(ports, 'standby');
        const sitters = await Promise.all(Array.from({ length: 10 }, (_, i) => addSitter(ports, `Sitter ${i}`)));

        const results = await Promise.all(sitters.map((s) => ports.numbers.assignStandbyToSitter(standby.id, s.id)));
        const winners = results.filter((r) => r !== null);
        expect(winners).toHaveLength(1);
        const winner = winners[0]!;
        expect(await ports.numbers.findById(standby.id)).toMatchObject({ lifecycle: 'reserved', sitterId: winner.sitterId });
        const holders = await Promise.all(sitters.map((s) => ports.numbers.findReservedForSitter(s.id)));
        expect(holders.filter((h) => h !== null)).toHaveLength(1);
      },
      RACE_TIMEOUT_MS,
    );

    it(
      'simultaneous assignments of two standby numbers to one sitter: one wins, the other gets UniqueConflictError',
      async () => {
        const ports = store();
        const sitter = await addSitter(ports);
        const [a, b] = [await addReadyNumber(ports, 'standby'), await addReadyNumber(ports, 'standby')];

        const settled = await Promise.allSettled([
          ports.numbers.assignStandbyToSitter(a.id, sitter.id),
          ports.numbers.assignStandbyToSitter(b.id, sitter.id),
        ]);
        const won = settled.filter((s) => s.status === 'fulfilled' && s.value !== null);
        const refused = settled.filter((s) => s.status === 'rejected');
        expect(won).toHaveLength(1);
        expect(refused).toHaveLength(1);
        expect((refused[0] as PromiseRejectedResult).reason).toBeInstanceOf(UniqueConflictError);
        expect(await ports.numbers.findFirstReadyStandby()).not.toBeNull();
      },
      RACE_TIMEOUT_MS,
    );
  });
}
