import { ReroutingRequestClient } from './rerouting-request-client';
import { TelephonyError } from './telephony.gateway';
import { useSimulatedGateway } from '../testing/simulated-gateway';

async function telephonyError(promise: Promise<unknown>): Promise<TelephonyError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(TelephonyError);
  return error as TelephonyError;
}

describe('TwilioTelephonyGateway against the simulator: numbers', () => {
  const twilio = useSimulatedGateway({ pageSize: 3 });

  it('searches local numbers in an area code', async () => {
    const found = await twilio.gateway.searchLocalNumbers('720', 5);
    expect(found).toHaveLength(5);
    for (const n of found) expect(n.phoneNumber).toMatch(/^\+1720\d{7}$/);
    expect(found[0]).toMatchObject({ locality: 'Denver', region: 'CO' });
    expect(new Set(found.map((n) => n.phoneNumber)).size).toBe(5);
  });

  it('buys a searched number with its friendly name and webhooks, and logs one purchase', async () => {
    const [candidate] = await twilio.gateway.searchLocalNumbers('303', 1);
    const bought = await twilio.gateway.buyNumber(candidate.phoneNumber, 'maskline:num_1', { smsUrl: 'https://app.example/twilio/sms', statusCallback: 'https://app.example/twilio/status' });

    expect(bought).toMatchObject({ phoneNumber: candidate.phoneNumber, friendlyName: 'maskline:num_1', smsUrl: 'https://app.example/twilio/sms' });
    expect(bought.sid).toMatch(/^PN[0-9a-f]{32}$/);
    expect(bought.dateCreated).toBeInstanceOf(Date);
    expect(Number.isNaN(bought.dateCreated.getTime())).toBe(false);
    expect(twilio.simulator.purchases.map((p) => p.phoneNumber)).toEqual([candidate.phoneNumber]);
    expect(twilio.simulator.ownedNumbers[0].statusCallback).toBe('https://app.example/twilio/status');
    // a sold number is no longer offered
    expect((await twilio.gateway.searchLocalNumbers('303', 200)).map((n) => n.phoneNumber)).not.toContain(candidate.phoneNumber);
  });

  it('buys by area code in one call and records the requested area code', async () => {
    const bought = await twilio.gateway.buyNumberInAreaCode('720', 'maskline:num_2');
    expect(bought.phoneNumber).toMatch(/^\+1720/);
    expect(twilio.simulator.purchases).toHaveLength(1);
    expect(twilio.simulator.purchases[0]).toMatchObject({ sid: bought.sid, requestedAreaCode: '720', friendlyName: 'maskline:num_2' });
  });

  it('concurrent purchases in one area code never get the same number', async () => {
    twilio.simulator.setAvailableNumbers('719', 12);
    const results = await Promise.allSettled(Array.from({ length: 15 }, (_, i) => twilio.gateway.buyNumberInAreaCode('719', `maskline:c${i}`)));
    const bought = results.flatMap((r) => (r.status === 'fulfilled' ? [r.value.phoneNumber] : []));
    const refused = results.flatMap((r) => (r.status === 'rejected' ? [(r.reason as TelephonyError).code] : []));
    expect(bought).toHaveLength(12);
    expect(new Set(bought).size).toBe(12);
    expect(refused).toEqual([21452, 21452, 21452]);
    expect(twilio.simulator.purchases).toHaveLength(12);
  });

  it('fails with 21452 in an emptied area code, and with an empty search', async () => {
    twilio.simulator.emptyAreaCode('303');
    const error = await telephonyError(twilio.gateway.buyNumberInAreaCode('303', 'maskline:num_3'));
    expect(error).toMatchObject({ code: 21452, status: 400, uncertain: false, retryable: false });
    expect(await twilio.gateway.searchLocalNumbers('303', 5)).toEqual([]);
    expect(twilio.simulator.purchases).toHaveLength(0);
  });

  it('fails with 21422 for a number that is not for sale, masking it in the message', async () => {
    const error = await telephonyError(twilio.gateway.buyNumber('+13039990000', 'maskline:num_4'));
    expect(error).toMatchObject({ code: 21422, status: 400 });
    expect(error.message).not.toContain('+13039990000');
    expect(error.message).toContain('0000');
  });

  it('sells only what setAvailableNumbers puts up', async () => {
    twilio.simulator.setAvailableNumbers('970', ['+19705550111', '+19705550122']);
    const first = await twilio.gateway.buyNumberInAreaCode('970', 'a');
    const second = await twilio.gateway.buyNumberInAreaCode('970', 'b');
    expect([first.phoneNumber, second.phoneNumber]).toEqual(['+19705550111', '+19705550122']);
    expect((await telephonyError(twilio.gateway.buyNumberInAreaCode('970', 'c'))).code).toBe(21452);
  });

  it('lists owned numbers by friendly name and by phone number', async () => {
    const a = await twilio.gateway.buyNumberInAreaCode('303', 'maskline:num_a');
    await twilio.gateway.buyNumberInAreaCode('303', 'maskline:num_b');

    const byName = await twilio.gateway.listOwnedNumbers({ friendlyName: 'maskline:num_a' });
    expect(byName.map((n) => n.sid)).toEqual([a.sid]);
    expect(await twilio.gateway.listOwnedNumbers({ friendlyName: 'maskline:nobody' })).toEqual([]);
    expect((await twilio.gateway.listOwnedNumbers({ phoneNumber: a.phoneNumber })).map((n) => n.friendlyName)).toEqual(['maskline:num_a']);
  });

  it('lists more than one page through the SDK (next_page_uri followed through the rerouting client)', async () => {
    for (let i = 0; i < 8; i++) await twilio.gateway.buyNumberInAreaCode('720', i % 2 ? 'odd' : 'even');
    const requests = jest.spyOn(ReroutingRequestClient.prototype, 'request');
    // page size 3: eight numbers take three pages, four "even" ones take two
    const all = await twilio.gateway.listOwnedNumbers({});
    const uris = requests.mock.calls.map(([opts]) => opts.uri);
    requests.mockRestore();
    expect(uris).toHaveLength(3);
    // pages 2 and 3 are the absolute Twilio URLs the SDK builds from next_page_uri
    expect(uris[1]).toMatch(/^https:\/\/api\.twilio\.com\/2010-04-01\/Accounts\/AC\w+\/IncomingPhoneNumbers\.json\?.*Page=1/);
    expect(uris[2]).toMatch(/Page=2/);
    expect(all).toHaveLength(8);
    expect(new Set(all.map((n) => n.sid)).size).toBe(8);
    const even = await twilio.gateway.listOwnedNumbers({ friendlyName: 'even' });
    expect(even).toHaveLength(4);
    expect(even.every((n) => n.friendlyName === 'even')).toBe(true);
  });

  it('configures webhooks of an owned number and releases it (twice is fine)', async () => {
    const bought = await twilio.gateway.buyNumberInAreaCode('303', 'maskline:num_c');
    const configured = await twilio.gateway.configureNumber(bought.sid, { smsUrl: 'https://app.example/relay', smsMethod: 'POST' });
    expect(configured.smsUrl).toBe('https://app.example/relay');
    expect(twilio.simulator.ownedNumbers[0].smsUrl).toBe('https://app.example/relay');

    await twilio.gateway.releaseNumber(bought.sid);
    expect(twilio.simulator.ownedNumbers).toHaveLength(0);
    await expect(twilio.gateway.releaseNumber(bought.sid)).resolves.toBeUndefined();
    expect((await telephonyError(twilio.gateway.configureNumber(bought.sid, { smsUrl: 'https://x.example' }))).code).toBe(20404);
  });
});
