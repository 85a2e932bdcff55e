import { TwilioSimulator } from './twilio-simulator';

const ACCOUNT_SID = 'AC' + '2'.repeat(32);
const AUTH_TOKEN = 'http-spec-token';
const basic = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
const AUTH = { Authorization: basic(ACCOUNT_SID, AUTH_TOKEN) };
const FORM = { ...AUTH, 'Content-Type': 'application/x-www-form-urlencoded' };

// the simulator's answers are checked field by field, so untyped JSON is what the tests want
const json = async (response: Response | Promise<Response>): Promise<any> => (await response).json();

describe('TwilioSimulator HTTP shapes', () => {
  const simulator = new TwilioSimulator({ accountSid: ACCOUNT_SID, authToken: AUTH_TOKEN });
  let base: string;
  const api = (path: string) => `${base}/api/2010-04-01/Accounts/${ACCOUNT_SID}${path}`;

  beforeAll(async () => {
    base = await simulator.start();
  });
  afterAll(() => simulator.stop());
  beforeEach(() => simulator.reset());

  it('answers 401 with Twilio error 20003 without credentials or with a wrong token', async () => {
    for (const headers of [{}, { Authorization: basic(ACCOUNT_SID, 'nope') }, { Authorization: 'Bearer x' }] as Record<string, string>[]) {
      const response = await fetch(api('/IncomingPhoneNumbers.json'), { headers });
      expect(response.status).toBe(401);
      expect(await json(response)).toEqual({ code: 20003, message: 'Authenticate', more_info: 'https://www.twilio.com/docs/errors/20003', status: 401 });
    }
  });

  it('refuses another account\'s path with 20003, and answers unknown routes with 20404', async () => {
    const other = await fetch(`${base}/api/2010-04-01/Accounts/AC${'3'.repeat(32)}/IncomingPhoneNumbers.json`, { headers: AUTH });
    expect(other.status).toBe(401);
    const unknown = await fetch(`${base}/api/2010-04-01/Accounts/${ACCOUNT_SID}/Calls.json`, { headers: AUTH });
    expect(unknown.status).toBe(404);
    expect(await json(unknown)).toMatchObject({ code: 20404, status: 404 });
  });

  it('buys with form fields and answers the 2010 shape with RFC 2822 dates', async () => {
    const response = await fetch(api('/IncomingPhoneNumbers.json'), { method: 'POST', headers: FORM, body: 'AreaCode=303&FriendlyName=token%3A1&SmsUrl=https%3A%2F%2Fapp.example%2Fsms' });
    expect(response.status).toBe(201);
    const body = await json(response);
    expect(body).toMatchObject({ account_sid: ACCOUNT_SID, friendly_name: 'token:1', sms_url: 'https://app.example/sms', sms_method: 'POST', capabilities: { sms: true, voice: true } });
    expect(body.sid).toMatch(/^PN[0-9a-f]{32}$/);
    expect(body.date_created).toMatch(/^[A-Z][a-z]{2}, \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} \+0000$/);
    expect(body.uri).toBe(`/2010-04-01/Accounts/${ACCOUNT_SID}/IncomingPhoneNumbers/${body.sid}.json`);
  });

  it('asks for PhoneNumber or AreaCode', async () => {
    const response = await fetch(api('/IncomingPhoneNumbers.json'), { method: 'POST', headers: FORM, body: 'FriendlyName=x' });
    expect(response.status).toBe(400);
    expect(simulator.purchases).toHaveLength(0);
  });

  it('pages 2010 lists with relative next_page_uri that keeps the filters', async () => {
    for (let i = 0; i < 3; i++) simulator.addOwnedNumber({ areaCode: '720', friendlyName: 'same' });
    const first = await json(fetch(api('/IncomingPhoneNumbers.json?FriendlyName=same&PageSize=2'), { headers: AUTH }));
    expect(first.incoming_phone_numbers).toHaveLength(2);
    expect(first).toMatchObject({ page: 0, page_size: 2, start: 0, end: 1, previous_page_uri: null });
    expect(first.next_page_uri).toMatch(new RegExp(`^/2010-04-01/Accounts/${ACCOUNT_SID}/IncomingPhoneNumbers\\.json\\?FriendlyName=same&PageSize=2&Page=1`));
    const second = await json(fetch(`${base}/api${first.next_page_uri}`, { headers: AUTH }));
    expect(second.incoming_phone_numbers).toHaveLength(1);
    expect(second.next_page_uri).toBeNull();
  });

  it('reads repeated MediaUrl keys and dotted MessagingBinding keys from the form', async () => {
    const from = simulator.addOwnedNumber({ areaCode: '303' }).phoneNumber;
    const sent = await fetch(api('/Messages.json'), {
      method: 'POST',
      headers: FORM,
      body: new URLSearchParams([['From', from], ['To', '+17205550100'], ['MediaUrl', 'https://a.example/1.jpg'], ['MediaUrl', 'https://a.example/2.jpg']]).toString(),
    });
    expect(sent.status).toBe(201);
    expect(await json(sent)).toMatchObject({ num_media: '2', body: '', status: 'queued', direction: 'outbound-api' });

    const conversation = await json(fetch(`${base}/conversations/v1/Conversations`, { method: 'POST', headers: FORM, body: 'FriendlyName=x' }));
    expect(conversation.date_created).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
    const participant = await fetch(`${base}/conversations/v1/Conversations/${conversation.sid}/Participants`, {
      method: 'POST',
      headers: FORM,
      body: 'MessagingBinding.Address=%2B17205550100&MessagingBinding.ProxyAddress=%2B13035550100',
    });
    expect(participant.status).toBe(201);
    expect((await json(participant)).messaging_binding).toEqual({ type: 'sms', address: '+17205550100', proxy_address: '+13035550100' });
  });

  it('answers v1 lists with meta.key and absolute URLs on Twilio\'s host', async () => {
    const list = await json(fetch(`${base}/conversations/v1/ParticipantConversations?Address=%2B17205550100`, { headers: AUTH }));
    expect(list).toEqual({
      conversations: [],
      meta: expect.objectContaining({ key: 'conversations', page: 0, page_size: 50, next_page_url: null, url: expect.stringMatching(/^https:\/\/conversations\.twilio\.com\/v1\/ParticipantConversations\?Address=/) }),
    });
  });

  it('injected faults answer the Twilio error body with the given status', async () => {
    simulator.injectFault('numbers.list', { status: 503, code: 20503, message: 'Service Unavailable' });
    const failed = await fetch(api('/IncomingPhoneNumbers.json'), { headers: AUTH });
    expect(failed.status).toBe(503);
    expect(await json(failed)).toEqual({ code: 20503, message: 'Service Unavailable', more_info: 'https://www.twilio.com/docs/errors/20503', status: 503 });
    expect((await fetch(api('/IncomingPhoneNumbers.json'), { headers: AUTH })).status).toBe(200);
  });

  it('holds answers after the effect and lets them go on stop', async () => {
    const held = new TwilioSimulator({ accountSid: ACCOUNT_SID, authToken: AUTH_TOKEN });
    const heldBase = await held.start();
    held.injectTimeoutAfterEffect('numbers.buy', { delayMs: 60_000 });
    const request = fetch(`${heldBase}/api/2010-04-01/Accounts/${ACCOUNT_SID}/IncomingPhoneNumbers.json`, { method: 'POST', headers: FORM, body: 'AreaCode=303' }).catch((e: Error) => e);
    await held.waitFor((s) => s.purchases.length === 1);
    const started = Date.now();
    await held.stop();
    await request;
    expect(Date.now() - started).toBeLessThan(2_000);
  });
});
