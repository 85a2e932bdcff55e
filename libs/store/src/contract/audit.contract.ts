import { addSitter, settle } from './fixtures';
import { CurrentStore } from './store-ports';

export function describeAuditContract(store: CurrentStore): void {
  describe('AuditLog', () => {
    it('records an event with defaults and lists it', async () => {
      const ports = store();
      await ports.audit.record({ eventType: 'number_purchased', category: 'inventory' });
      await settle(ports);

      const [event] = await ports.audit.listRecent(10);
      expect(event).toMatchObject({
        eventType: 'number_purchased',
        category: 'inventory',
        severity: 'info',
        details: {},
        numberId: null,
        sitterId: null,
        clientId: null,
        phoneNumber: null,
      });
      expect(typeof event.id).toBe('string');
      expect(event.createdAt).toBeInstanceOf(Date);
    });

    it('keeps details and related records as given', async () => {
      const ports = store();
      const sitter = await addSitter(ports);
      const details = { areaCode: '303', attempts: 2, alternates: ['720'], nested: { ok: true, note: null } };
      await ports.audit.record({
        eventType: 'number_assigned',
        category: 'inventory',
        severity: 'warning',
        details,
        sitterId: sitter.id,
        phoneNumber: '***0112',
      });
      await settle(ports);

      expect(await ports.audit.listRecent(1)).toEqual([
        expect.objectContaining({ severity: 'warning', details, sitterId: sitter.id, phoneNumber: '***0112' }),
      ]);
    });

    it('lists newest first, up to the limit, optionally one event type', async () => {
      const ports = store();
      const types = ['purchase', 'expiry', 'purchase', 'alert', 'purchase'];
      for (const [i, eventType] of types.entries()) {
        await ports.audit.record({ eventType, category: 'test', details: { i } });
      }
      await settle(ports);

      expect((await ports.audit.listRecent(10)).map((e) => e.details.i)).toEqual([4, 3, 2, 1, 0]);
      expect((await ports.audit.listRecent(2)).map((e) => e.details.i)).toEqual([4, 3]);
      expect((await ports.audit.listRecent(10, 'purchase')).map((e) => e.details.i)).toEqual([4, 2, 0]);
      expect((await ports.audit.listRecent(10, 'nothing-like-this')).length).toBe(0);
    });
  });
}
