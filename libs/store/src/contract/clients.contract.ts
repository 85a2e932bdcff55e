import { RecordNotFoundError, SyncClientInput } from '../ports';
import { addSitter, foreignId, nextPhone } from './fixtures';
import { CurrentStore } from './store-ports';

function syncInput(overrides: Partial<SyncClientInput> = {}): SyncClientInput {
  return {
    timeToPetId: `ttp-${nextPhone().slice(-7)}`,
    firstName: 'Maya',
    lastName: 'Lopez',
    email: 'maya@example.com',
    phone: nextPhone(),
    address: '1 Elm St, Denver, CO',
    ...overrides,
  };
}

export function describeClientContract(store: CurrentStore): void {
  describe('ClientRepository', () => {
    describe('findOrCreateByPhone', () => {
      it('creates a first_contact client without a name, linked to the sitter', async () => {
        const ports = store();
        const sitter = await addSitter(ports);
        const phone = nextPhone();

        const { client, created } = await ports.clients.findOrCreateByPhone(phone, sitter.id);
        expect(created).toBe(true);
        expect(client).toMatchObject({
          phone,
          name: null,
          firstName: null,
          lastName: null,
          timeToPetId: null,
          source: 'first_contact',
          sitterId: sitter.id,
        });
        expect(client.createdAt).toBeInstanceOf(Date);
        expect(await ports.clients.findById(client.id)).toEqual(client);
        expect(await ports.clients.findByPhone(phone)).toEqual(client);
      });

      it('returns the existing client for a known phone', async () => {
        const { clients } = store();
        const phone = nextPhone();
        const first = await clients.findOrCreateByPhone(phone);
        const second = await clients.findOrCreateByPhone(phone);

        expect(second.created).toBe(false);
        expect(second.client.id).toBe(first.client.id);
        expect(first.client.sitterId).toBeNull();
      });
    });

    it('returns null for unknown ids, phones and Time to Pet ids', async () => {
      const ports = store();
      await ports.clients.findOrCreateByPhone(nextPhone());

      expect(await ports.clients.findById(await foreignId(ports, 'sitter'))).toBeNull();
      expect(await ports.clients.findByPhone(nextPhone())).toBeNull();
      expect(await ports.clients.findByTimeToPetId('ttp-unknown')).toBeNull();
    });

    describe('upsertFromSync', () => {
      it('creates a sync client named "first last"', async () => {
        const { clients } = store();
        const input = syncInput();

        const { client, action } = await clients.upsertFromSync(input);
        expect(action).toBe('created');
        expect(client).toMatchObject({
          name: 'Maya Lopez',
          firstName: 'Maya',
          lastName: 'Lopez',
          phone: input.phone,
          email: input.email,
          address: input.address,
          timeToPetId: input.timeToPetId,
          source: 'sync',
        });
        expect(await clients.findByTimeToPetId(input.timeToPetId)).toEqual(client);
      });

      it('trims the name when a part is missing', async () => {
        const { clients } = store();
        const onlyFirst = await clients.upsertFromSync(syncInput({ firstName: 'Maya', lastName: null }));
        const onlyLast = await clients.upsertFromSync(syncInput({ firstName: null, lastName: 'Lopez' }));

        expect(onlyFirst.client.name).toBe('Maya');
        expect(onlyLast.client.name).toBe('Lopez');
      });

      it('updates the client with the same Time to Pet id', async () => {
        const { clients } = store();
        const input = syncInput();
        const created = await clients.upsertFromSync(input);
        const newPhone = nextPhone();

        const { client, action } = await clients.upsertFromSync({
          ...input,
          firstName: 'Maya',
          lastName: 'Lopez-Reyes',
          email: 'maya.reyes@example.com',
          phone: newPhone,
        });
        expect(action).toBe('updated');
        expect(client).toMatchObject({
          id: created.client.id,
          name: 'Maya Lopez-Reyes',
          email: 'maya.reyes@example.com',
          phone: newPhone,
          source: 'sync',
        });
        expect(await clients.findByPhone(newPhone)).toMatchObject({ id: created.client.id });
        expect(await clients.findByPhone(input.phone)).toBeNull();
      });

      it('merges into the first_contact client with the same phone', async () => {
        const ports = store();
        const sitter = await addSitter(ports);
        const phone = nextPhone();
        const firstContact = await ports.clients.findOrCreateByPhone(phone, sitter.id);
        const input = syncInput({ phone });

        const { client, action } = await ports.clients.upsertFromSync(input);
        expect(action).toBe('merged');
        expect(client).toMatchObject({
          id: firstContact.client.id,
          phone,
          name: 'Maya Lopez',
          timeToPetId: input.timeToPetId,
          source: 'sync',
          sitterId: sitter.id,
        });
        expect(await ports.clients.findByPhone(phone)).toMatchObject({ id: firstContact.client.id, source: 'sync' });
        expect(await ports.clients.findByTimeToPetId(input.timeToPetId)).toMatchObject({ id: firstContact.client.id });
      });

      it("merges another client holding the record's new phone into the Time to Pet record", async () => {
        const { clients } = store();
        const input = syncInput();
        const synced = await clients.upsertFromSync(input);
        const newPhone = nextPhone();
        const stray = await clients.findOrCreateByPhone(newPhone);

        const { client, action } = await clients.upsertFromSync({ ...input, phone: newPhone });
        expect(action).toBe('merged');
        expect(client).toMatchObject({ id: synced.client.id, phone: newPhone, source: 'sync' });
        expect(await clients.findByPhone(newPhone)).toMatchObject({ id: synced.client.id });
        expect(await clients.findById(stray.client.id)).toBeNull();
        expect(await clients.findByPhone(input.phone)).toBeNull();
      });

      it('is repeatable: the same payload twice is one client', async () => {
        const { clients } = store();
        const input = syncInput();
        const first = await clients.upsertFromSync(input);
        const second = await clients.upsertFromSync(input);

        expect(second.action).toBe('updated');
        expect(second.client.id).toBe(first.client.id);
      });
    });

    describe('touch', () => {
      it('sets last active and the linked sitter when given, keeps the sitter otherwise', async () => {
        const ports = store();
        const first = await addSitter(ports, 'First');
        const second = await addSitter(ports, 'Second');
        const { client } = await ports.clients.findOrCreateByPhone(nextPhone(), first.id);
        const at = new Date('2024-05-01T10:00:00.000Z');
        const later = new Date('2024-05-02T10:00:00.000Z');

        await ports.clients.touch(client.id, at);
        expect(await ports.clients.findById(client.id)).toMatchObject({ lastActiveAt: at, sitterId: first.id });

        await ports.clients.touch(client.id, later, second.id);
        expect(await ports.clients.findById(client.id)).toMatchObject({ lastActiveAt: later, sitterId: second.id });
      });

      it('throws RecordNotFoundError for a missing client', async () => {
        const ports = store();
        const missing = await foreignId(ports, 'sitter');
        await expect(ports.clients.touch(missing, new Date())).rejects.toBeInstanceOf(RecordNotFoundError);
      });
    });
  });
}
