import { RecordNotFoundError } from '../ports';
import { foreignId, nextPhone } from './fixtures';
import { CurrentStore } from './store-ports';

export function describeSitterContract(store: CurrentStore): void {
  describe('SitterRepository', () => {
    it('creates a pending sitter by real phone and finds it by id and phone', async () => {
      const { sitters } = store();
      const phone = nextPhone();
      const { sitter, created } = await sitters.upsertByPhone({ name: 'Ada Walker', phone, email: 'ada@example.com' });

      expect(created).toBe(true);
      expect(sitter).toMatchObject({ name: 'Ada Walker', phone, email: 'ada@example.com', status: 'pending', reservedNumber: null });
      expect(typeof sitter.id).toBe('string');
      expect(sitter.createdAt).toBeInstanceOf(Date);
      expect(sitter.updatedAt).toBeInstanceOf(Date);
      expect(await sitters.findById(sitter.id)).toEqual(sitter);
      expect(await sitters.findByPhone(phone)).toEqual(sitter);
    });

    it('updates name and email of the sitter with the same phone instead of creating a second one', async () => {
      const { sitters } = store();
      const phone = nextPhone();
      const first = await sitters.upsertByPhone({ name: 'Ada Walker', phone, email: null });
      const second = await sitters.upsertByPhone({ name: 'Ada W. Walker', phone, email: 'ada@example.com' });

      expect(second.created).toBe(false);
      expect(second.sitter.id).toBe(first.sitter.id);
      expect(second.sitter).toMatchObject({ name: 'Ada W. Walker', email: 'ada@example.com', status: 'pending' });
      expect(await sitters.findByPhone(phone)).toMatchObject({ id: first.sitter.id, name: 'Ada W. Walker' });
    });

    it('keeps the status of an existing sitter on upsert', async () => {
      const { sitters } = store();
      const phone = nextPhone();
      const { sitter } = await sitters.upsertByPhone({ name: 'Ada', phone });
      await sitters.setReservedNumber(sitter.id, null, 'active');

      const again = await sitters.upsertByPhone({ name: 'Ada', phone });
      expect(again.sitter.status).toBe('active');
    });

    it('counts the sitters without a reserved number, leaving out inactive ones', async () => {
      const { sitters } = store();
      const before = await sitters.countWithoutReservedNumber();
      const { sitter: waiting } = await sitters.upsertByPhone({ name: 'Waiting', phone: nextPhone() });
      const { sitter: attached } = await sitters.upsertByPhone({ name: 'Attached', phone: nextPhone() });
      const { sitter: gone } = await sitters.upsertByPhone({ name: 'Gone', phone: nextPhone() });
      expect(await sitters.countWithoutReservedNumber()).toBe(before + 3);

      await sitters.setReservedNumber(attached.id, nextPhone('720'), 'active');
      await sitters.setReservedNumber(gone.id, null, 'inactive');
      expect(await sitters.countWithoutReservedNumber()).toBe(before + 1);
      await sitters.setReservedNumber(waiting.id, null, 'active');
      expect(await sitters.countWithoutReservedNumber()).toBe(before + 1);
    });

    it('returns null for unknown ids, phones and reserved numbers', async () => {
      const { sitters } = store();
      await sitters.upsertByPhone({ name: 'Someone', phone: nextPhone() });

      expect(await sitters.findById(await foreignId(store(), 'client'))).toBeNull();
      expect(await sitters.findByPhone(nextPhone())).toBeNull();
      expect(await sitters.findByReservedNumber(nextPhone())).toBeNull();
    });

    it('sets and clears the reserved number, and finds the sitter by it', async () => {
      const { sitters } = store();
      const { sitter } = await sitters.upsertByPhone({ name: 'Ada', phone: nextPhone() });
      const { sitter: other } = await sitters.upsertByPhone({ name: 'Bea', phone: nextPhone() });
      const reserved = nextPhone('720');

      const attached = await sitters.setReservedNumber(sitter.id, reserved, 'active');
      expect(attached).toMatchObject({ id: sitter.id, reservedNumber: reserved, status: 'active' });
      expect(await sitters.findByReservedNumber(reserved)).toMatchObject({ id: sitter.id });
      expect((await sitters.findById(other.id))?.reservedNumber).toBeNull();

      const detached = await sitters.setReservedNumber(sitter.id, null, 'inactive');
      expect(detached).toMatchObject({ reservedNumber: null, status: 'inactive' });
      expect(await sitters.findByReservedNumber(reserved)).toBeNull();
    });

    it('throws RecordNotFoundError when updating a missing sitter', async () => {
      const { sitters } = store();
      const missing = await foreignId(store(), 'client');

      await expect(sitters.setReservedNumber(missing, nextPhone(), 'active')).rejects.toBeInstanceOf(RecordNotFoundError);
    });
  });
}
