import { Session } from '../domain';
import { RecordNotFoundError } from '../ports';
import {
  addClient,
  addReadyNumber,
  addReadyPool,
  addSitterWithReservedNumber,
  foreignId,
  minutesAfter,
  openSession,
  tryOpenSession,
} from './fixtures';
import { CurrentStore, StorePorts } from './store-ports';

const NOW = new Date('2024-06-01T12:00:00.000Z');

/** a sitter, a client and their session on the only pool number, opened at NOW */
async function oneOpenSession(ports: StorePorts): Promise<Session> {
  await addReadyPool(ports, 1);
  return openSession(ports, await addClient(ports), await addSitterWithReservedNumber(ports), NOW);
}

export function describeSessionContract(store: CurrentStore): void {
  describe('SessionRepository', () => {
    describe('openOrGet', () => {
      it('creates an active session on the oldest free ready pool number', async () => {
        const ports = store();
        const pool = await addReadyPool(ports, 2);
        const sitter = await addSitterWithReservedNumber(ports);
        const client = await addClient(ports, sitter.id);

        const result = await tryOpenSession(ports, client, sitter, NOW);
        expect(result.outcome).toBe('created');
        if (result.outcome === 'exhausted') return;
        expect(result.session).toMatchObject({
          clientId: client.id,
          sitterId: sitter.id,
          reservedNumber: sitter.reservedNumber,
          poolNumber: pool[0].phoneNumber,
          status: 'active',
          lastActivityAt: NOW,
          closedAt: null,
          closeReason: null,
        });
        expect(result.session.createdAt).toBeInstanceOf(Date);
        expect(await ports.sessions.findById(result.session.id)).toEqual(result.session);
      });

      it('returns the existing active session of the pair', async () => {
        const ports = store();
        await addReadyPool(ports, 2);
        const sitter = await addSitterWithReservedNumber(ports);
        const client = await addClient(ports);
        const first = await openSession(ports, client, sitter, NOW);

        const again = await tryOpenSession(ports, client, sitter, minutesAfter(NOW, 5));
        expect(again).toMatchObject({ outcome: 'existing', session: { id: first.id, poolNumber: first.poolNumber } });
        expect(await ports.sessions.countAll()).toBe(1);
      });

      it('gives each client of one sitter a different pool number, then reports exhaustion', async () => {
        const ports = store();
        const pool = await addReadyPool(ports, 2);
        const sitter = await addSitterWithReservedNumber(ports);
        const [a, b, c] = [await addClient(ports), await addClient(ports), await addClient(ports)];

        const first = await openSession(ports, a, sitter, NOW);
        const second = await openSession(ports, b, sitter, NOW);
        const third = await tryOpenSession(ports, c, sitter, NOW);

        expect([first.poolNumber, second.poolNumber].sort()).toEqual(pool.map((n) => n.phoneNumber).sort());
        expect(third).toEqual({ outcome: 'exhausted' });
        expect(await ports.sessions.countActive()).toBe(2);
      });

      it('counts the active sessions of every sitter on one pool number', async () => {
        const ports = store();
        const [only] = await addReadyPool(ports, 1);
        const [first, second] = [await addSitterWithReservedNumber(ports, 'First'), await addSitterWithReservedNumber(ports, 'Second')];
        expect(await ports.sessions.countActiveByPoolNumber(only.phoneNumber!)).toBe(0);

        const one = await openSession(ports, await addClient(ports), first, NOW);
        await openSession(ports, await addClient(ports), second, NOW);
        expect(await ports.sessions.countActiveByPoolNumber(only.phoneNumber!)).toBe(2);

        await ports.sessions.close(one.id, 'test', NOW);
        expect(await ports.sessions.countActiveByPoolNumber(only.phoneNumber!)).toBe(1);
        expect(await ports.sessions.countActiveByPoolNumber('+13035550000')).toBe(0);
      });

      it('lets a second sitter reuse a pool number another sitter uses', async () => {
        const ports = store();
        const [only] = await addReadyPool(ports, 1);
        const first = await addSitterWithReservedNumber(ports, 'First');
        const second = await addSitterWithReservedNumber(ports, 'Second');
        const client = await addClient(ports);

        const one = await openSession(ports, client, first, NOW);
        const two = await openSession(ports, client, second, NOW);
        expect(one.poolNumber).toBe(only.phoneNumber);
        expect(two.poolNumber).toBe(only.phoneNumber);
        expect(two.id).not.toBe(one.id);
      });

      it('uses only ready pool numbers', async () => {
        const ports = store();
        await ports.numbers.createPending([{ lifecycle: 'pool', areaCode: '303' }]);
        await addReadyNumber(ports, 'standby');
        const sitter = await addSitterWithReservedNumber(ports);
        const client = await addClient(ports);

        const result = await tryOpenSession(ports, client, sitter, NOW);
        expect(result).toEqual({ outcome: 'exhausted' });
        expect(await ports.sessions.countAll()).toBe(0);
      });

      it('frees the pool number when a session closes', async () => {
        const ports = store();
        await addReadyPool(ports, 1);
        const sitter = await addSitterWithReservedNumber(ports);
        const [a, b] = [await addClient(ports), await addClient(ports)];
        const first = await openSession(ports, a, sitter, NOW);
        await ports.sessions.close(first.id, 'expired', minutesAfter(NOW, 1));

        const second = await openSession(ports, b, sitter, NOW);
        expect(second.poolNumber).toBe(first.poolNumber);
        const reopened = await tryOpenSession(ports, a, sitter, NOW);
        expect(reopened).toEqual({ outcome: 'exhausted' });
      });
    });

    describe('lookups', () => {
      it('finds the active session by pair and by sitter + pool number, not after it closed', async () => {
        const ports = store();
        await addReadyPool(ports, 2);
        const sitter = await addSitterWithReservedNumber(ports);
        const other = await addSitterWithReservedNumber(ports, 'Other');
        const client = await addClient(ports);
        const session = await openSession(ports, client, sitter, NOW);

        expect(await ports.sessions.findActiveForClientAndSitter(client.id, sitter.id)).toEqual(session);
        expect(await ports.sessions.findActiveBySitterAndPoolNumber(sitter.id, session.poolNumber)).toEqual(session);
        expect(await ports.sessions.findActiveForClientAndSitter(client.id, other.id)).toBeNull();
        expect(await ports.sessions.findActiveBySitterAndPoolNumber(other.id, session.poolNumber)).toBeNull();

        await ports.sessions.close(session.id, 'detached', NOW);
        expect(await ports.sessions.findActiveForClientAndSitter(client.id, sitter.id)).toBeNull();
        expect(await ports.sessions.findActiveBySitterAndPoolNumber(sitter.id, session.poolNumber)).toBeNull();
        expect(await ports.sessions.findById(await foreignId(ports, 'sitter'))).toBeNull();
      });

      it('lists active sessions by reserved number', async () => {
        const ports = store();
        await addReadyPool(ports, 3);
        const sitter = await addSitterWithReservedNumber(ports);
        const other = await addSitterWithReservedNumber(ports, 'Other');
        const [a, b, c] = [await addClient(ports), await addClient(ports), await addClient(ports)];
        const s1 = await openSession(ports, a, sitter, NOW);
        const s2 = await openSession(ports, b, sitter, NOW);
        const closed = await openSession(ports, c, sitter, NOW);
        await openSession(ports, a, other, NOW);
        await ports.sessions.close(closed.id, 'expired', NOW);

        const listed = await ports.sessions.listActiveByReservedNumber(sitter.reservedNumber!);
        expect(listed.map((s) => s.id).sort()).toEqual([s1.id, s2.id].sort());
      });

      it('lists idle active sessions, oldest activity first, up to the limit', async () => {
        const ports = store();
        await addReadyPool(ports, 4);
        const sitter = await addSitterWithReservedNumber(ports);
        const clients = [await addClient(ports), await addClient(ports), await addClient(ports), await addClient(ports)];
        const oldest = await openSession(ports, clients[0], sitter, minutesAfter(NOW, -300));
        const old = await openSession(ports, clients[1], sitter, minutesAfter(NOW, -200));
        await openSession(ports, clients[2], sitter, minutesAfter(NOW, 10));
        const closedOld = await openSession(ports, clients[3], sitter, minutesAfter(NOW, -400));
        await ports.sessions.close(closedOld.id, 'manual', NOW);

        expect((await ports.sessions.listIdleSince(NOW, 10)).map((s) => s.id)).toEqual([oldest.id, old.id]);
        expect((await ports.sessions.listIdleSince(NOW, 1)).map((s) => s.id)).toEqual([oldest.id]);
      });

      it('counts active and all sessions', async () => {
        const ports = store();
        await addReadyPool(ports, 3);
        const sitter = await addSitterWithReservedNumber(ports);
        const [a, b, c] = [await addClient(ports), await addClient(ports), await addClient(ports)];
        expect(await ports.sessions.countActive()).toBe(0);
        expect(await ports.sessions.countAll()).toBe(0);

        await openSession(ports, a, sitter, NOW);
        await openSession(ports, b, sitter, NOW);
        const closed = await openSession(ports, c, sitter, NOW);
        await ports.sessions.close(closed.id, 'expired', NOW);

        expect(await ports.sessions.countActive()).toBe(2);
        expect(await ports.sessions.countAll()).toBe(3);
      });
    });

    describe('touch and close', () => {
      it('moves the last activity forward', async () => {
        const ports = store();
        const session = await oneOpenSession(ports);
        const later = minutesAfter(NOW, 30);

        await ports.sessions.touch(session.id, later);
        expect((await ports.sessions.findById(session.id))?.lastActivityAt).toEqual(later);
        expect(await ports.sessions.listIdleSince(minutesAfter(NOW, 10), 10)).toEqual([]);
      });

      it('closes an active session once; the second close answers null', async () => {
        const ports = store();
        const session = await oneOpenSession(ports);
        const at = minutesAfter(NOW, 60);

        const closed = await ports.sessions.close(session.id, 'expired', at);
        expect(closed).toMatchObject({ id: session.id, status: 'closed', closedAt: at, closeReason: 'expired' });
        expect(await ports.sessions.close(session.id, 'expired', at)).toBeNull();
        expect(await ports.sessions.findById(session.id)).toMatchObject({ status: 'closed', closeReason: 'expired' });
      });

      it('throws RecordNotFoundError for a missing session', async () => {
        const ports = store();
        const missing = await foreignId(ports, 'sitter');
        await expect(ports.sessions.touch(missing, NOW)).rejects.toBeInstanceOf(RecordNotFoundError);
        await expect(ports.sessions.close(missing, 'expired', NOW)).rejects.toBeInstanceOf(RecordNotFoundError);
      });
    });
  });
}
