import { addReadyPool, addSitterWithReservedNumber, fakeSid, nextPhone, openSession, settle } from './fixtures';
import { CurrentStore } from './store-ports';

/**
 * Strings that break naive query building: SQL quotes, Airtable formula
 * injection (`'}, TRUE(), {` would match every record if pasted into a
 * formula), LIKE wildcards, backslashes, emoji, and a very long value.
 */
export const HOSTILE_STRINGS: readonly string[] = [
  `O'Brien "Bob"`,
  `'}, TRUE(), {`,
  `"), TRUE(), ("`,
  `' OR '1'='1`,
  `\\`,
  `\\'`,
  `%`,
  `_`,
  `.*`,
  `{Phone}`,
  `Robert'); DROP TABLE clients;--`,
  `🐶 Fido & 🐱 Tom`,
  `line one\nline two`,
  `Zoë Ñúñez`,
  'x'.repeat(500),
];

export function describeHostileInputContract(store: CurrentStore): void {
  describe('hostile input', () => {
    it('sitter names and phones round-trip unchanged and match only themselves', async () => {
      const { sitters } = store();
      const created = [];
      for (const value of HOSTILE_STRINGS) {
        const result = await sitters.upsertByPhone({ name: value, phone: value, email: value });
        expect(result.created).toBe(true);
        created.push(result.sitter);
      }
      const plain = (await sitters.upsertByPhone({ name: 'Plain', phone: nextPhone() })).sitter;

      for (const [i, value] of HOSTILE_STRINGS.entries()) {
        const found = await sitters.findByPhone(value);
        expect(found).toMatchObject({ id: created[i].id, name: value, phone: value, email: value });
        await sitters.setReservedNumber(created[i].id, value, 'active');
        expect((await sitters.findByReservedNumber(value))?.id).toBe(created[i].id);
      }
      expect(await sitters.findByPhone(`${HOSTILE_STRINGS[0]} `)).toBeNull();
      expect(await sitters.findByPhone(`' OR TRUE() OR '`)).toBeNull();
      expect((await sitters.findById(plain.id))?.name).toBe('Plain');
    });

    it('client phones and Time to Pet ids round-trip unchanged and match only themselves', async () => {
      const { clients } = store();
      const byPhone = new Map<string, string>();
      for (const value of HOSTILE_STRINGS) {
        const { client, created } = await clients.findOrCreateByPhone(value);
        expect(created).toBe(true);
        byPhone.set(value, client.id);
      }
      for (const value of HOSTILE_STRINGS) {
        expect(await clients.findByPhone(value)).toMatchObject({ id: byPhone.get(value), phone: value });
        expect((await clients.findOrCreateByPhone(value)).created).toBe(false);
      }

      const synced = [];
      for (const value of HOSTILE_STRINGS) {
        const result = await clients.upsertFromSync({
          timeToPetId: value,
          firstName: value,
          lastName: null,
          email: value,
          phone: nextPhone(),
          address: value,
        });
        expect(result.action).toBe('created');
        synced.push(result.client);
      }
      for (const [i, value] of HOSTILE_STRINGS.entries()) {
        expect(await clients.findByTimeToPetId(value)).toMatchObject({
          id: synced[i].id,
          timeToPetId: value,
          firstName: value,
          email: value,
          address: value,
        });
      }
      expect(await clients.findByTimeToPetId(`x' OR '1'='1`)).toBeNull();
    });

    it('message bodies and sids round-trip unchanged', async () => {
      const ports = store();
      await addReadyPool(ports, 1);
      const sitter = await addSitterWithReservedNumber(ports);
      const { client } = await ports.clients.findOrCreateByPhone(nextPhone());
      const session = await openSession(ports, client, sitter);
      for (const value of HOSTILE_STRINGS) {
        await ports.messages.record({
          direction: 'sitter_to_client',
          sessionId: session.id,
          from: value,
          to: value,
          body: value,
          mediaUrls: [value],
          twilioSid: `SM${value}`,
          status: value,
        });
      }
      await settle(ports);

      for (const value of HOSTILE_STRINGS) {
        expect(await ports.messages.findByTwilioSid(`SM${value}`)).toMatchObject({ body: value, from: value, mediaUrls: [value], status: value });
      }
      expect((await ports.messages.listBySession(session.id)).map((m) => m.body)).toEqual(HOSTILE_STRINGS);
      expect(await ports.messages.findByTwilioSid(fakeSid('SM'))).toBeNull();
    });

    it('audit event types filter exactly', async () => {
      const ports = store();
      for (const value of HOSTILE_STRINGS) {
        await ports.audit.record({ eventType: value, category: value, details: { value } });
      }
      await settle(ports);

      for (const value of HOSTILE_STRINGS) {
        const events = await ports.audit.listRecent(50, value);
        expect(events.map((e) => [e.eventType, e.category, e.details.value])).toEqual([[value, value, value]]);
      }
    });
  });
}
