import twilio from 'twilio';
import { useSimulatorAndReceiver } from '../testing/use-simulator-and-receiver';

const ACCOUNT_SID = 'AC' + '1'.repeat(32);
const AUTH_TOKEN = 'webhook-spec-token';
const CLIENT = '+17205550142';

describe('TwilioSimulator signed webhooks', () => {
  const setup = useSimulatorAndReceiver({ accountSid: ACCOUNT_SID, authToken: AUTH_TOKEN, statusCallbackStepMs: 5 });
  const { simulator, receiver } = setup;
  let app: string;
  let client: twilio.Twilio;

  beforeAll(() => {
    app = setup.appUrl;
    // the SDK straight at the simulator, through the same kind of rerouting the app uses
    const httpClient = new twilio.RequestClient({ timeout: 5_000 });
    const request = httpClient.request.bind(httpClient);
    httpClient.request = (opts) => request({ ...opts, uri: opts.uri.replace(/^https:\/\/(\w+)\.twilio\.com/, `${setup.simulatorUrl}/$1`) });
    client = twilio(ACCOUNT_SID, AUTH_TOKEN, { httpClient });
  });

  async function ownedNumberWithWebhook(smsMethod: 'POST' | 'GET' = 'POST'): Promise<string> {
    const bought = await client.incomingPhoneNumbers.create({ areaCode: '303', friendlyName: 'reserved', smsUrl: `${app}/twilio/sms?tenant=a`, smsMethod });
    return bought.phoneNumber;
  }

  it('posts the inbound-SMS webhook to the number\'s SmsUrl with a valid signature', async () => {
    const reserved = await ownedNumberWithWebhook();
    const answer = await simulator.sendInboundSms({ from: CLIENT, to: reserved, body: 'Is Rex OK?', mediaUrls: ['https://cdn.example/rex.png'] });

    expect(answer.status).toBe(200);
    expect(answer.body).toContain('<Response/>');
    expect(answer.messageSid).toMatch(/^MM[0-9a-f]{32}$/);
    expect(receiver.received).toHaveLength(1);
    const [hook] = receiver.received;
    expect(hook.path).toBe('/twilio/sms');
    expect(hook.signatureValid).toBe(true);
    expect(hook.params).toMatchObject({
      MessageSid: answer.messageSid,
      SmsSid: answer.messageSid,
      AccountSid: ACCOUNT_SID,
      From: CLIENT,
      To: reserved,
      Body: 'Is Rex OK?',
      NumMedia: '1',
      MediaUrl0: 'https://cdn.example/rex.png',
      MediaContentType0: 'image/png',
      SmsStatus: 'received',
      ApiVersion: '2010-04-01',
    });
  });

  it('a signature made with another token does not validate (the receiver really checks)', async () => {
    const reserved = await ownedNumberWithWebhook();
    await simulator.sendInboundSms({ from: CLIENT, to: reserved, body: 'hi' });
    const [hook] = receiver.received;
    expect(twilio.validateRequest('another-token', hook.signature, `${app}/twilio/sms?tenant=a`, hook.params)).toBe(false);
    expect(twilio.validateRequest(AUTH_TOKEN, hook.signature, `${app}/twilio/sms?tenant=a`, { ...hook.params, Body: 'tampered' })).toBe(false);
  });

  it('signs GET webhooks over the full URL', async () => {
    const reserved = await ownedNumberWithWebhook('GET');
    await simulator.sendInboundSms({ from: CLIENT, to: reserved, body: 'hi there' });
    expect(receiver.received[0]).toMatchObject({ method: 'GET', signatureValid: true });
    expect(receiver.received[0].params.Body).toBe('hi there');
  });

  it('redelivers the same MessageSid and fields, and reports the app\'s error status', async () => {
    const reserved = await ownedNumberWithWebhook();
    receiver.answerStatus = 500;
    const first = await simulator.sendInboundSms({ from: CLIENT, to: reserved, body: 'again', messageSid: 'SM' + 'f'.repeat(32) });
    expect(first.status).toBe(500);
    receiver.answerStatus = 200;
    const second = await simulator.redeliverInboundSms(first.messageSid);
    expect(second.status).toBe(200);
    expect(receiver.received.map((r) => r.params.MessageSid)).toEqual(['SM' + 'f'.repeat(32), 'SM' + 'f'.repeat(32)]);
    expect(receiver.received[1].params).toEqual(receiver.received[0].params);
    expect(receiver.received.every((r) => r.signatureValid)).toBe(true);
    expect(simulator.webhookDeliveries.map((d) => d.status)).toEqual([500, 200]);
  });

  it('refuses to send to a number it does not own', async () => {
    await expect(simulator.sendInboundSms({ from: CLIENT, to: '+13035550000', body: 'x' })).rejects.toThrow(/not owned/);
  });

  it('posts signed status callbacks queued, sent, delivered in order', async () => {
    const from = await ownedNumberWithWebhook();
    const message = await client.messages.create({ from, to: CLIENT, body: 'hi', statusCallback: `${app}/twilio/status` });
    await simulator.waitFor(() => receiver.received.length === 3);

    expect(receiver.received.map((r) => r.params.MessageStatus)).toEqual(['queued', 'sent', 'delivered']);
    for (const hook of receiver.received) {
      expect(hook).toMatchObject({ path: '/twilio/status', signatureValid: true });
      expect(hook.params).toMatchObject({ MessageSid: message.sid, AccountSid: ACCOUNT_SID, From: from, To: CLIENT });
      expect(hook.params.ErrorCode).toBeUndefined();
    }
    expect((await client.messages(message.sid).fetch()).status).toBe('delivered');
  });

  it('ends in the configured failure with its error code', async () => {
    const from = await ownedNumberWithWebhook();
    simulator.setDeliveryOutcome(CLIENT, { status: 'undelivered', errorCode: 30003 });
    simulator.setDeliveryOutcome('+17205550143', { status: 'failed', errorCode: 30007 });
    await client.messages.create({ from, to: CLIENT, body: 'a', statusCallback: `${app}/twilio/status` });
    await client.messages.create({ from, to: '+17205550143', body: 'b', statusCallback: `${app}/twilio/status` });
    await simulator.waitFor(() => receiver.received.length === 5);

    const byRecipient = (to: string) => receiver.received.filter((r) => r.params.To === to).map((r) => `${r.params.MessageStatus}:${r.params.ErrorCode ?? ''}`);
    expect(byRecipient(CLIENT)).toEqual(['queued:', 'sent:', 'undelivered:30003']);
    expect(byRecipient('+17205550143')).toEqual(['queued:', 'failed:30007']);
    expect(simulator.messages.map((m) => [m.status, m.errorCode])).toEqual([
      ['undelivered', 30003],
      ['failed', 30007],
    ]);
  });

  it('sends no callback without StatusCallback, but the message still progresses', async () => {
    const from = await ownedNumberWithWebhook();
    await client.messages.create({ from, to: CLIENT, body: 'quiet' });
    await simulator.waitFor((s) => s.messages[0].status === 'delivered');
    expect(receiver.received).toHaveLength(0);
  });
});
