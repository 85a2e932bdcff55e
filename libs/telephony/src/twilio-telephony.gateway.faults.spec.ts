import { TelephonyError } from './telephony.gateway';
import { TwilioTelephonyGateway } from './twilio-telephony.gateway';
import { useSimulatedGateway } from '../testing/simulated-gateway';

const failure = (promise: Promise<unknown>) => promise.then(() => null, (e: unknown) => e as TelephonyError);

describe('TwilioTelephonyGateway against the simulator: failures', () => {
  const twilio = useSimulatedGateway({ timeoutMs: 1_000 });

  it('answers an injected 500 once, then succeeds', async () => {
    twilio.simulator.injectFault('numbers.buy', { status: 500, code: 20500, message: 'Internal Server Error' });
    const error = await failure(twilio.gateway.buyNumberInAreaCode('303', 'maskline:num_1'));
    expect(error).toBeInstanceOf(TelephonyError);
    expect(error).toMatchObject({ status: 500, code: 20500, uncertain: false, retryable: true });
    expect(twilio.simulator.purchases).toHaveLength(0);

    await twilio.gateway.buyNumberInAreaCode('303', 'maskline:num_1');
    expect(twilio.simulator.purchases).toHaveLength(1);
  });

  it('maps 429 to a retryable error, for as many calls as injected', async () => {
    twilio.simulator.injectFault('numbers.search', { status: 429, code: 20429, message: 'Too Many Requests', times: 2 });
    for (let i = 0; i < 2; i++) {
      expect(await failure(twilio.gateway.searchLocalNumbers('303', 1))).toMatchObject({ status: 429, code: 20429, retryable: true });
    }
    expect(await twilio.gateway.searchLocalNumbers('303', 1)).toHaveLength(1);
  });

  it('carries Twilio\'s Retry-After on a 429 as the wait to honour', async () => {
    twilio.simulator.injectFault('numbers.search', { status: 429, code: 20429, message: 'Too Many Requests', retryAfterSeconds: 7 });
    expect(await failure(twilio.gateway.searchLocalNumbers('303', 1))).toMatchObject({ status: 429, code: 20429, retryable: true, retryAfterMs: 7_000 });
    expect(await failure(twilio.gateway.searchLocalNumbers('303', 1))).toBeNull();
  });

  it('a fault with a rate fails about that share of calls until cleared', async () => {
    twilio.simulator.injectFault('numbers.search', { status: 500, code: 20500, rate: 0.5 });
    const outcomes = await Promise.all(Array.from({ length: 60 }, () => failure(twilio.gateway.searchLocalNumbers('303', 1))));
    const failed = outcomes.filter((e) => e !== null).length;
    expect(failed).toBeGreaterThan(10);
    expect(failed).toBeLessThan(50);
    twilio.simulator.clearFaults();
    expect(await failure(twilio.gateway.searchLocalNumbers('303', 1))).toBeNull();
  });

  it('applies a family pattern to every operation of the family', async () => {
    twilio.simulator.injectFault('conversations.*', { status: 503, code: 20503, times: 1 });
    expect(await failure(twilio.gateway.createConversation('x'))).toMatchObject({ status: 503, retryable: true });
    await expect(twilio.gateway.createConversation('x')).resolves.toMatchObject({ friendlyName: 'x' });
  });

  it('a timeout after the effect is an uncertain error, yet the number is bought', async () => {
    twilio.simulator.injectTimeoutAfterEffect('numbers.buy', { delayMs: 3_000 });
    const started = Date.now();
    const error = await failure(twilio.gateway.buyNumberInAreaCode('720', 'maskline:num_9'));
    expect(Date.now() - started).toBeLessThan(2_500);
    expect(error).toBeInstanceOf(TelephonyError);
    expect(error).toMatchObject({ code: null, status: null, uncertain: true, retryable: true });

    // the purchase happened: the token in FriendlyName finds it
    expect(twilio.simulator.purchases).toHaveLength(1);
    const adopted = await twilio.gateway.listOwnedNumbers({ friendlyName: 'maskline:num_9' });
    expect(adopted.map((n) => n.phoneNumber)).toEqual([twilio.simulator.purchases[0].phoneNumber]);
  });

  it('injected latency below the timeout only slows the call', async () => {
    twilio.simulator.injectLatency('numbers.list', 300, 1);
    const started = Date.now();
    await twilio.gateway.listOwnedNumbers({});
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
  });

  it('clearFaults removes pending faults', async () => {
    twilio.simulator.injectFault('messages.create', { status: 500, code: 20500, times: 5 });
    twilio.simulator.clearFaults();
    const from = (await twilio.gateway.buyNumberInAreaCode('303', 'x')).phoneNumber;
    await expect(twilio.gateway.sendSms({ from, to: '+17205550100', body: 'hi' })).resolves.toMatchObject({ status: 'queued' });
  });

  it('bad credentials answer 20003 / 401', async () => {
    const intruder = new TwilioTelephonyGateway({ accountSid: twilio.accountSid, authToken: 'wrong-token', baseUrl: twilio.simulator.baseUrl, timeoutMs: 1_000 });
    expect(await failure(intruder.listOwnedNumbers({}))).toMatchObject({ code: 20003, status: 401, retryable: false });
  });

  it('a server that is down is an uncertain network error', async () => {
    const nowhere = new TwilioTelephonyGateway({ accountSid: twilio.accountSid, authToken: twilio.authToken, baseUrl: 'http://127.0.0.1:9', timeoutMs: 1_000 });
    expect(await failure(nowhere.searchLocalNumbers('303', 1))).toMatchObject({ code: null, status: null, uncertain: true });
  });
});
