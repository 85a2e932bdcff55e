import { TelephonyError } from './telephony.gateway';
import { TwilioTelephonyGateway } from './twilio-telephony.gateway';
import { useSimulatedGateway } from '../testing/simulated-gateway';

const CLIENT = '+17205550199';

describe('TwilioTelephonyGateway against the simulator: messaging', () => {
  const twilio = useSimulatedGateway();
  let owned: string;

  beforeEach(async () => {
    owned = (await twilio.gateway.buyNumberInAreaCode('303', 'pool')).phoneNumber;
  });

  it('sends an SMS from an owned number and the simulator records it', async () => {
    const sent = await twilio.gateway.sendSms({ from: owned, to: CLIENT, body: '[Ann]: the dog is fine' });
    expect(sent.sid).toMatch(/^SM[0-9a-f]{32}$/);
    expect(sent.status).toBe('queued');
    expect(twilio.simulator.messages).toHaveLength(1);
    expect(twilio.simulator.messages[0]).toMatchObject({ sid: sent.sid, from: owned, to: CLIENT, body: '[Ann]: the dog is fine', mediaUrls: [] });
  });

  it('sends an MMS with every media URL (repeated MediaUrl keys)', async () => {
    const media = ['https://cdn.example/a.jpg', 'https://cdn.example/b.png'];
    const sent = await twilio.gateway.sendSms({ from: owned, to: CLIENT, body: 'photos', mediaUrls: media });
    expect(sent.sid).toMatch(/^MM[0-9a-f]{32}$/);
    expect(twilio.simulator.messages[0].mediaUrls).toEqual(media);
  });

  it('refuses a sender the account does not own with 21606', async () => {
    const error = await twilio.gateway.sendSms({ from: '+13035550000', to: CLIENT, body: 'hi' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TelephonyError);
    expect(error).toMatchObject({ code: 21606, status: 400, retryable: false });
    expect(twilio.simulator.messages).toHaveLength(0);
  });

  it('refuses an invalid recipient with 21211', async () => {
    await expect(twilio.gateway.sendSms({ from: owned, to: '555-0100', body: 'hi' })).rejects.toMatchObject({ code: 21211 });
  });

  it('progresses the message to delivered', async () => {
    const sent = await twilio.gateway.sendSms({ from: owned, to: CLIENT, body: 'hi' });
    await twilio.simulator.waitFor((s) => s.messages.find((m) => m.sid === sent.sid)?.status === 'delivered');
    expect(twilio.simulator.messages[0].dateSent).toBeInstanceOf(Date);
  });

  it('lists what one number sent to another since an instant, newest first, with bodies to match on', async () => {
    // Twilio's dates have whole seconds
    const since = new Date(Date.now() - 1000);
    const other = (await twilio.gateway.buyNumberInAreaCode('720', 'pool-2')).phoneNumber;
    const first = await twilio.gateway.sendSms({ from: owned, to: CLIENT, body: 'first' });
    const second = await twilio.gateway.sendSms({ from: owned, to: CLIENT, body: 'second' });
    await twilio.gateway.sendSms({ from: other, to: CLIENT, body: 'from another number' });
    await twilio.gateway.sendSms({ from: owned, to: '+17205550100', body: 'to someone else' });

    const found = await twilio.gateway.listSentMessages({ from: owned, to: CLIENT, sentSince: since });
    expect(found.map((m) => [m.sid, m.body])).toEqual([
      [second.sid, 'second'],
      [first.sid, 'first'],
    ]);
    expect(found[0]).toMatchObject({ from: owned, to: CLIENT, status: expect.any(String), dateCreated: expect.any(Date) });
  });

  it('pages through everything since the instant, and stops at the first older message', async () => {
    const since = new Date(Date.now() - 1000);
    const smallPages = new TwilioTelephonyGateway({ accountSid: twilio.accountSid, authToken: twilio.authToken, baseUrl: twilio.simulator.baseUrl, timeoutMs: 5_000, pageSize: 2 });
    for (const body of ['one', 'two', 'three', 'four', 'five']) await twilio.gateway.sendSms({ from: owned, to: CLIENT, body });

    expect((await smallPages.listSentMessages({ from: owned, to: CLIENT, sentSince: since })).map((m) => m.body)).toEqual(['five', 'four', 'three', 'two', 'one']);
    expect(await smallPages.listSentMessages({ from: owned, to: CLIENT, sentSince: new Date(Date.now() + 60_000) })).toEqual([]);
  });
});
