import { airtableSpecFixture, TEST_BASE_ID } from '../../testing/airtable-test-store';
import { StorePorts } from '../contract';
import { nextPhone } from '../contract/fixtures';

jest.setTimeout(90_000);

const RESERVED = '+17205550100';

/** what the relay does per message, through the ports only (SPEC 3.1 and 3.2, plus Twilio's status callbacks) */
async function clientTexts(ports: StorePorts, clientPhone: string, sid: string): Promise<string> {
  const sitter = (await ports.sitters.findByReservedNumber(RESERVED))!;
  const { client } = await ports.clients.findOrCreateByPhone(clientPhone, sitter.id);
  const opened = await ports.sessions.openOrGet({ clientId: client.id, sitterId: sitter.id, reservedNumber: RESERVED, now: new Date() });
  if (opened.outcome === 'exhausted') throw new Error('pool exhausted');
  const now = new Date();
  await ports.sessions.touch(opened.session.id, now);
  await ports.clients.touch(client.id, now, sitter.id);
  await ports.messages.record({ direction: 'client_to_sitter', sessionId: opened.session.id, from: opened.session.poolNumber, to: sitter.phone, body: `[${clientPhone}]: hi`, twilioSid: sid, status: 'queued' });
  return opened.session.poolNumber;
}

async function sitterReplies(ports: StorePorts, sitterPhone: string, poolNumber: string, n: number): Promise<void> {
  const sitter = (await ports.sitters.findByPhone(sitterPhone))!;
  const session = (await ports.sessions.findActiveBySitterAndPoolNumber(sitter.id, poolNumber))!;
  const client = (await ports.clients.findById(session.clientId))!;
  const now = new Date();
  await ports.sessions.touch(session.id, now);
  await ports.clients.touch(client.id, now);
  await ports.messages.record({ direction: 'sitter_to_client', sessionId: session.id, from: RESERVED, to: client.phone, body: 'ok', twilioSid: `SMout${n}`, status: 'queued' });
}

describe('the message path on Airtable', () => {
  const at = airtableSpecFixture();

  it('relays 100 messages between known clients and their sitter (2 status callbacks each) for well under one request per message', async () => {
    const sitterPhone = nextPhone('720');
    at.fake.seed(TEST_BASE_ID, 'Sitters', [{ Name: 'Sam', Phone: sitterPhone, Status: 'Active', 'Reserved Number': RESERVED }]);
    at.fake.seed(
      TEST_BASE_ID,
      'Number Inventory',
      Array.from({ length: 5 }, (_, i) => ({ 'Phone Number': nextPhone(), Lifecycle: 'Pool', Status: 'Ready', 'Purchase Token': `seed-${i}` })),
    );
    const { ports } = await at.open();
    const clientPhones = Array.from({ length: 5 }, () => nextPhone());
    // first contact of each client: creating the client and its session is not the steady state
    await Promise.all(clientPhones.map((phone, c) => clientTexts(ports, phone, `SMwarm${c}`)));
    await ports.flush!();
    const started = at.fake.requests.length;

    for (let round = 0; round < 10; round++) {
      await Promise.all(
        clientPhones.map(async (phone, c) => {
          const n = round * 5 + c;
          const pool = await clientTexts(ports, phone, `SMin${n}`);
          await sitterReplies(ports, sitterPhone, pool, n);
          for (const sid of [`SMin${n}`, `SMout${n}`]) {
            await ports.messages.updateStatus(sid, 'sent', null);
            await ports.messages.updateStatus(sid, 'delivered', null);
          }
        }),
      );
    }
    await ports.flush!();

    const spent = at.fake.requests.length - started;
    expect(spent / 100).toBeLessThan(0.5);
    expect(at.fake.rateLimited).toBe(0);
    const messages = at.fake.records(TEST_BASE_ID, 'Messages').filter((m) => !String(m.fields['Twilio SID']).startsWith('SMwarm'));
    expect(messages).toHaveLength(100);
    expect(messages.every((m) => m.fields['Status'] === 'delivered')).toBe(true);
    expect(at.fake.records(TEST_BASE_ID, 'Sessions')).toHaveLength(5);
    expect(at.fake.records(TEST_BASE_ID, 'Clients').every((c) => c.fields['Last Active'])).toBe(true);
  });
});
