import { RecordMessageInput } from '../ports';
import { addClient, addReadyPool, addSitterWithReservedNumber, fakeSid, nextPhone, openSession, settle } from './fixtures';
import { CurrentStore, StorePorts } from './store-ports';

function relayed(sessionId: string | null, overrides: Partial<RecordMessageInput> = {}): RecordMessageInput {
  return {
    direction: 'client_to_sitter',
    sessionId,
    from: nextPhone(),
    to: nextPhone(),
    body: '[Maya Lopez]: Is Rex OK?',
    inboundSid: fakeSid('SM'),
    twilioSid: fakeSid('SM'),
    status: 'queued',
    ...overrides,
  };
}

async function twoSessions(ports: StorePorts) {
  await addReadyPool(ports, 2);
  const sitter = await addSitterWithReservedNumber(ports);
  return [await openSession(ports, await addClient(ports), sitter), await openSession(ports, await addClient(ports), sitter)];
}

export function describeMessageContract(store: CurrentStore): void {
  describe('MessageLog', () => {
    it('records a message and finds it by its outbound MessageSid', async () => {
      const ports = store();
      const [session] = await twoSessions(ports);
      const input = relayed(session.id, { mediaUrls: ['https://media.example.com/1.jpg'], errorCode: null });

      await ports.messages.record(input);
      await settle(ports);

      const found = await ports.messages.findByTwilioSid(input.twilioSid!);
      expect(found).toMatchObject({
        direction: 'client_to_sitter',
        sessionId: session.id,
        from: input.from,
        to: input.to,
        body: input.body,
        mediaUrls: ['https://media.example.com/1.jpg'],
        inboundSid: input.inboundSid,
        twilioSid: input.twilioSid,
        status: 'queued',
        errorCode: null,
      });
      expect(typeof found?.id).toBe('string');
      expect(found?.createdAt).toBeInstanceOf(Date);
      expect(await ports.messages.findByTwilioSid(fakeSid('SM'))).toBeNull();
    });

    it('defaults optional fields', async () => {
      const ports = store();
      const twilioSid = fakeSid('SM');
      await ports.messages.record({ direction: 'alert', from: nextPhone(), to: nextPhone(), body: 'alert', twilioSid, status: 'sent' });
      await settle(ports);

      expect(await ports.messages.findByTwilioSid(twilioSid)).toMatchObject({
        sessionId: null,
        mediaUrls: [],
        inboundSid: null,
        errorCode: null,
      });
    });

    it('updates the delivery status by MessageSid', async () => {
      const ports = store();
      const input = relayed(null);
      await ports.messages.record(input);
      await settle(ports);

      await ports.messages.updateStatus(input.twilioSid!, 'undelivered', '30003');
      await settle(ports);
      expect(await ports.messages.findByTwilioSid(input.twilioSid!)).toMatchObject({ status: 'undelivered', errorCode: '30003' });

      await ports.messages.updateStatus(input.twilioSid!, 'delivered', null);
      await settle(ports);
      expect(await ports.messages.findByTwilioSid(input.twilioSid!)).toMatchObject({ status: 'delivered', errorCode: null });
    });

    it('ignores a status for a MessageSid it never recorded', async () => {
      const ports = store();
      const unknown = fakeSid('SM');
      await expect(ports.messages.updateStatus(unknown, 'delivered', null)).resolves.toBeUndefined();
      await settle(ports);
      expect(await ports.messages.findByTwilioSid(unknown)).toBeNull();
    });

    it('lists the messages of one session in the order they were recorded', async () => {
      const ports = store();
      const [session, other] = await twoSessions(ports);
      const bodies = ['first', 'second', 'third'];
      for (const body of bodies) await ports.messages.record(relayed(session.id, { body }));
      await ports.messages.record(relayed(other.id, { body: 'elsewhere' }));
      await ports.messages.record(relayed(null, { body: 'no session' }));
      await settle(ports);

      expect((await ports.messages.listBySession(session.id)).map((m) => m.body)).toEqual(bodies);
      expect((await ports.messages.listBySession(other.id)).map((m) => m.body)).toEqual(['elsewhere']);
    });
  });
}
