import { TelephonyError } from './telephony.gateway';
import { useSimulatedGateway } from '../testing/simulated-gateway';

const SERVICE = 'KS' + 'a'.repeat(32);
const CLIENT = '+17205550142';
const SITTER = '+17205550177';

describe('TwilioTelephonyGateway against the simulator: Proxy', () => {
  const twilio = useSimulatedGateway();

  async function numberInService(isReserved: boolean): Promise<string> {
    const owned = await twilio.gateway.buyNumberInAreaCode('303', isReserved ? 'reserved' : 'pool');
    const added = await twilio.gateway.addNumberToProxyService(SERVICE, owned.sid, isReserved);
    expect(added.sid).toBe(owned.sid);
    return owned.phoneNumber;
  }

  it('runs a session: numbers join the service, participants get proxy numbers, interactions are sent', async () => {
    const reserved = await numberInService(true);
    const pool = await numberInService(false);
    expect(twilio.simulator.proxy.numbers.map((n) => [n.phoneNumber, n.isReserved])).toEqual([
      [reserved, true],
      [pool, false],
    ]);

    const session = await twilio.gateway.createProxySession(SERVICE, { uniqueName: 'client-sitter', ttlSeconds: 14 * 86400 });
    expect(session.sid).toMatch(/^KC[0-9a-f]{32}$/);
    const client = await twilio.gateway.addProxyParticipant(SERVICE, session.sid, { identifier: CLIENT, friendlyName: 'Ann', proxyIdentifier: reserved });
    const sitter = await twilio.gateway.addProxyParticipant(SERVICE, session.sid, { identifier: SITTER, friendlyName: 'Sam' });
    expect(client).toMatchObject({ proxyIdentifier: reserved });
    expect(client.sid).toMatch(/^KP[0-9a-f]{32}$/);
    // without a requested number Proxy picks an unreserved one
    expect(sitter.proxyIdentifier).toBe(pool);

    const interaction = await twilio.gateway.createMessageInteraction(SERVICE, session.sid, sitter.sid, '[Ann]: hello', ['https://cdn.example/p.jpg']);
    expect(interaction.sid).toMatch(/^KI[0-9a-f]{32}$/);
    expect(twilio.simulator.messages).toEqual([expect.objectContaining({ from: pool, to: SITTER, body: '[Ann]: hello', mediaUrls: ['https://cdn.example/p.jpg'] })]);
    expect(twilio.simulator.proxy.sessions[0]).toMatchObject({ uniqueName: 'client-sitter', status: 'in-progress', ttl: 14 * 86400 });
  });

  it('answers 80206 when the participant already uses every unreserved number in other active sessions', async () => {
    await numberInService(true);
    await numberInService(false);
    const first = await twilio.gateway.createProxySession(SERVICE, {});
    await twilio.gateway.addProxyParticipant(SERVICE, first.sid, { identifier: SITTER });
    const second = await twilio.gateway.createProxySession(SERVICE, {});

    const error = await twilio.gateway.addProxyParticipant(SERVICE, second.sid, { identifier: SITTER }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TelephonyError);
    expect(error).toMatchObject({ code: 80206, status: 400 });
  });

  it('answers 80207 when only reserved numbers are in the service, and refuses a number the account does not own', async () => {
    await numberInService(true);
    const session = await twilio.gateway.createProxySession(SERVICE, {});
    await expect(twilio.gateway.addProxyParticipant(SERVICE, session.sid, { identifier: CLIENT })).rejects.toMatchObject({ code: 80207 });
    await expect(twilio.gateway.addNumberToProxyService(SERVICE, 'PN' + '0'.repeat(32), false)).rejects.toMatchObject({ code: 20404, status: 404 });
  });

  it('does not know a malformed service SID', async () => {
    await expect(twilio.gateway.createProxySession('KSnot-a-sid', {})).rejects.toMatchObject({ code: 20404 });
  });
});
