import { useSimulatorAndReceiver } from '../../testing/use-simulator-and-receiver';

const ACCOUNT_SID = 'AC' + '4'.repeat(32);
const AUTH_TOKEN = 'control-spec-token';

// the simulator's answers are checked field by field, so untyped JSON is what the tests want
const json = async (response: Response | Promise<Response>): Promise<any> => (await response).json();

describe('TwilioSimulator control surface /_sim', () => {
  const setup = useSimulatorAndReceiver({ accountSid: ACCOUNT_SID, authToken: AUTH_TOKEN });
  const { simulator, receiver } = setup;
  let base: string;
  let app: string;
  const post = (path: string, body: unknown) => fetch(`${base}${path}`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
  const buy = () =>
    fetch(`${base}/api/2010-04-01/Accounts/${ACCOUNT_SID}/IncomingPhoneNumbers.json`, {
      method: 'POST',
      headers: { Authorization: `Basic ${Buffer.from(`${ACCOUNT_SID}:${AUTH_TOKEN}`).toString('base64')}`, 'Content-Type': 'application/x-www-form-urlencoded' },
      body: 'AreaCode=303',
    });

  beforeAll(() => {
    base = setup.simulatorUrl;
    app = setup.appUrl;
  });

  it('sends a signed inbound SMS and shows it in the state', async () => {
    const reserved = simulator.addOwnedNumber({ areaCode: '303', smsUrl: `${app}/twilio/sms` }).phoneNumber;
    const response = await post('/_sim/inbound-sms', { from: '+17205550142', to: reserved, body: 'hello' });
    expect(response.status).toBe(200);
    const answer = await json(response);
    expect(answer).toMatchObject({ app_status: 200, message_sid: expect.stringMatching(/^SM/) });
    expect(receiver.received).toEqual([expect.objectContaining({ signatureValid: true, params: expect.objectContaining({ Body: 'hello', To: reserved }) })]);

    const state = await json(fetch(`${base}/_sim/state`));
    expect(state.owned_numbers).toEqual([expect.objectContaining({ phone_number: reserved, sms_url: `${app}/twilio/sms` })]);
    expect(state.inbound_messages).toEqual([expect.objectContaining({ message_sid: answer.message_sid })]);
    expect(state.webhook_deliveries).toEqual([expect.objectContaining({ kind: 'inbound-sms', status: 200 })]);
  });

  it('validates inbound-sms input and refuses numbers without a webhook', async () => {
    expect((await post('/_sim/inbound-sms', { from: 'not-a-phone', to: '+13035550100', body: 'x' })).status).toBe(400);
    expect((await post('/_sim/inbound-sms', { from: '+17205550142', to: '+13035550100', body: 'x' })).status).toBe(404);
  });

  it('injects and clears faults by operation name', async () => {
    expect((await post('/_sim/faults', { operation: 'numbers.nothing', status: 500, code: 20500 })).status).toBe(400);
    expect((await post('/_sim/faults', { operation: 'numbers.*', status: 500, code: 20500, times: 3 })).status).toBe(201);
    expect((await buy()).status).toBe(500);
    expect((await fetch(`${base}/_sim/faults`, { method: 'DELETE' })).status).toBe(204);
    expect((await buy()).status).toBe(201);
    const state = await json(fetch(`${base}/_sim/state`));
    expect(state.purchases).toHaveLength(1);
  });

  it('sets the stock of an area code and resets everything', async () => {
    const stocked = await post('/_sim/available-numbers', { area_code: '303', count: 0 });
    expect(await json(stocked)).toEqual({ area_code: '303', available: 0 });
    const refused = await buy();
    expect(refused.status).toBe(400);
    expect((await json(refused)).code).toBe(21452);

    expect((await post('/_sim/reset', {})).status).toBe(204);
    expect((await buy()).status).toBe(201);
  });
});
