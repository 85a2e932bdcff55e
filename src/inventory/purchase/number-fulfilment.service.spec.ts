import { AppConfig, loadConfig } from '@maskline/config';
import { AuditLog, InventoryNumber, MarkNumberReadyInput, NumberRepository, SitterRepository } from '@maskline/store';
import { AvailableNumber, OwnedNumber, TelephonyError, TelephonyGateway } from '@maskline/telephony';
import { PoolCooldown } from '../capacity/pool-cooldown';
import { NumberFulfilmentService } from './number-fulfilment.service';
import { PoolNumberReadyListeners } from './pool-number-ready.listeners';
import { MessagingServiceMembership, RelaySetupService } from './relay-setup.service';
import { ProxyServiceRef } from './proxy-service-ref';

/** An object whose listed methods are the only ones a test may call: anything else fails loudly. */
function strict<T extends object>(name: string, methods: Partial<Record<keyof T, unknown>>): T {
  return new Proxy(methods as T, {
    get(target, prop) {
      if (prop in target) return (target as Record<string | symbol, unknown>)[prop];
      if (prop === 'then') return undefined;
      throw new Error(`unexpected call ${name}.${String(prop)}`);
    },
  });
}

const env = { NODE_ENV: 'test', API_KEY: 'k'.repeat(20), AREA_CODES: '303,720', PUBLIC_BASE_URL: 'https://relay.example.com' };
const config: AppConfig = loadConfig(env);
// no waiting in unit tests: a transient failure goes straight back to the job
const noRetries: AppConfig = loadConfig({ ...env, TWILIO_RETRY_BUDGET_SECONDS: '0' });

function pendingPool(): InventoryNumber {
  const now = new Date();
  return {
    id: 'n1',
    phoneNumber: null,
    twilioSid: null,
    lifecycle: 'pool',
    status: 'pending',
    sitterId: null,
    areaCode: '303',
    purchasedAt: null,
    purchaseReason: 'test',
    purchaseToken: 'maskline-n1',
    verificationResult: null,
    errorCode: null,
    errorMessage: null,
    jobId: 'purchase-n1',
    createdAt: now,
    updatedAt: now,
  };
}

const owned = (phoneNumber: string, smsUrl: string | null = 'https://relay.example.com/intercept'): OwnedNumber => ({
  sid: 'PN' + '0'.repeat(32),
  phoneNumber,
  friendlyName: 'maskline-n1',
  smsUrl,
  dateCreated: new Date('2025-01-01T00:00:00Z'),
});

function setup(telephony: Partial<Record<keyof TelephonyGateway, unknown>>, appConfig = config) {
  const record = pendingPool();
  const marked: MarkNumberReadyInput[] = [];
  const announced: InventoryNumber[] = [];
  const numbers = strict<NumberRepository>('NumberRepository', {
    findById: async () => record,
    markReady: async (_id: string, input: MarkNumberReadyInput) => {
      marked.push(input);
      return { ...record, status: 'ready', phoneNumber: input.phoneNumber, twilioSid: input.twilioSid };
    },
  });
  const gateway = strict<TelephonyGateway>('TelephonyGateway', telephony);
  const listeners = new PoolNumberReadyListeners();
  listeners.subscribe((n) => void announced.push(n));
  const service = new NumberFulfilmentService(
    numbers,
    strict<SitterRepository>('SitterRepository', {}),
    strict<AuditLog>('AuditLog', { record: async () => undefined }),
    gateway,
    new RelaySetupService(config, gateway, strict<ProxyServiceRef>('ProxyServiceRef', {})),
    new MessagingServiceMembership(appConfig, gateway),
    strict<PoolCooldown>('PoolCooldown', {}),
    listeners,
    appConfig,
  );
  return { service, marked, announced };
}

const available = (...phones: string[]): AvailableNumber[] => phones.map((phoneNumber) => ({ phoneNumber, locality: null, region: null }));

describe('NumberFulfilmentService', () => {
  it('adopts a number an earlier run bought (found by its token) instead of buying again', async () => {
    const { service, marked, announced } = setup({ listOwnedNumbers: async () => [owned('+13035550100')] });

    expect(await service.fulfil('n1', 'purchase-n1')).toBe('adopted');
    expect(marked).toEqual([expect.objectContaining({ phoneNumber: '+13035550100', verificationResult: 'sms_webhook_set' })]);
    expect(announced.map((n) => n.phoneNumber)).toEqual(['+13035550100']);
  });

  it('buys with the token and the relay webhook, after searching the asked area code', async () => {
    const bought: Array<[string, string, unknown]> = [];
    const { service, marked } = setup({
      listOwnedNumbers: async () => [],
      searchLocalNumbers: async (areaCode: string) => (areaCode === '303' ? available('+13035550100') : []),
      buyNumber: async (phone: string, token: string, webhooks: unknown) => {
        bought.push([phone, token, webhooks]);
        return owned(phone);
      },
    });

    expect(await service.fulfil('n1', 'purchase-n1')).toBe('bought');
    expect(bought).toEqual([['+13035550100', 'maskline-n1', { smsUrl: 'https://relay.example.com/intercept', smsMethod: 'POST' }]]);
    expect(marked[0]).toMatchObject({ phoneNumber: '+13035550100', purchasedAt: new Date('2025-01-01T00:00:00Z') });
  });

  it('moves to the next area code on 21452 and to the next candidate on 21422', async () => {
    const tried: string[] = [];
    const { service, marked } = setup({
      listOwnedNumbers: async () => [],
      searchLocalNumbers: async (areaCode: string) => (areaCode === '303' ? available('+13035550100') : available('+17205550100', '+17205550101')),
      buyNumber: async (phone: string) => {
        tried.push(phone);
        if (phone.startsWith('+1303')) throw new TelephonyError('none', 21452, 400);
        if (tried.filter((p) => p.startsWith('+1720')).length === 1) throw new TelephonyError('taken', 21422, 400);
        return owned(phone);
      },
    });

    await service.fulfil('n1', 'purchase-n1');
    expect(tried).toHaveLength(3);
    expect(tried[0]).toBe('+13035550100');
    expect(marked[0].phoneNumber).toMatch(/^\+1720/);
  });

  it('throws 21452 naming every area code when nothing could be bought', async () => {
    const { service } = setup({ listOwnedNumbers: async () => [], searchLocalNumbers: async () => [] });

    await expect(service.fulfil('n1', 'purchase-n1')).rejects.toMatchObject({ code: 21452, message: expect.stringContaining('303, 720') });
  });

  it('lets a retryable Twilio failure out for the job to back off once the retry budget is spent', async () => {
    const { service } = setup({ listOwnedNumbers: async () => Promise.reject(new TelephonyError('busy', 20429, 429)) }, noRetries);

    await expect(service.fulfil('n1', 'purchase-n1')).rejects.toMatchObject({ retryable: true });
  });

  it('retries the failing step only: a search that succeeded is not redone, a failed buy checks the token first', async () => {
    const calls: string[] = [];
    const { service, marked } = setup({
      listOwnedNumbers: async () => (calls.push('list'), []),
      searchLocalNumbers: async () => {
        calls.push('search');
        if (calls.filter((c) => c === 'search').length === 1) throw new TelephonyError('Too Many Requests', 20429, 429, false, 10);
        return available('+13035550100');
      },
      buyNumber: async (phone: string) => {
        calls.push('buy');
        if (calls.filter((c) => c === 'buy').length === 1) throw new TelephonyError('Internal Server Error', 20500, 500);
        return owned(phone);
      },
    });

    expect(await service.fulfil('n1', 'purchase-n1')).toBe('bought');
    expect(calls).toEqual(['list', 'search', 'search', 'buy', 'list', 'buy']);
    expect(marked).toHaveLength(1);
  }, 15_000);

  it('adopts what a buy that timed out did buy, instead of buying again', async () => {
    let bought: OwnedNumber | null = null;
    const { service } = setup({
      listOwnedNumbers: async () => (bought ? [bought] : []),
      searchLocalNumbers: async () => available('+13035550100'),
      buyNumber: async (phone: string) => {
        bought = owned(phone);
        throw new TelephonyError('Twilio request failed without an answer: timeout', null, null, true);
      },
    });

    expect(await service.fulfil('n1', 'purchase-n1')).toBe('adopted');
  }, 15_000);
});

describe('NumberFulfilmentService with TWILIO_MESSAGING_SERVICE_SID', () => {
  const serviceSid = 'MG' + 'a'.repeat(32);
  const withService = loadConfig({ ...env, TWILIO_MESSAGING_SERVICE_SID: serviceSid });
  const adopted = { listOwnedNumbers: async () => [owned('+13035550100')] };

  it('adds the number to the Messaging Service before marking it ready', async () => {
    const order: string[] = [];
    const { service, marked } = setup(
      {
        ...adopted,
        addNumberToMessagingService: async (sid: string, numberSid: string) => {
          order.push(`join ${sid} ${numberSid} (ready: ${marked.length})`);
          return { sid: numberSid };
        },
      },
      withService,
    );
    expect(await service.fulfil('n1', 'purchase-n1')).toBe('adopted');
    expect(order).toEqual([`join ${serviceSid} ${'PN' + '0'.repeat(32)} (ready: 0)`]);
    expect(marked).toHaveLength(1);
  });

  it('takes 21710 (already in this service) as done, and retries a 429 of the join step alone', async () => {
    const answers = [new TelephonyError('Too Many Requests', 20429, 429, false, 10), new TelephonyError('already in the service', 21710, 409)];
    const { service, marked } = setup({ ...adopted, addNumberToMessagingService: async () => Promise.reject(answers.shift()) }, withService);
    expect(await service.fulfil('n1', 'purchase-n1')).toBe('adopted');
    expect(answers).toEqual([]);
    expect(marked).toHaveLength(1);
  }, 15_000);

  it('a permanent refusal throws with its code and leaves the number unmarked (and bought)', async () => {
    const { service, marked } = setup({ ...adopted, addNumberToMessagingService: async () => Promise.reject(new TelephonyError('in another service', 21712, 409)) }, withService);
    await expect(service.fulfil('n1', 'purchase-n1')).rejects.toMatchObject({ code: 21712, retryable: false, message: expect.stringContaining('POST /numbers/n1/retry') });
    expect(marked).toEqual([]);
  });

  it('without the variable, no Messaging Service call is made', async () => {
    // the strict gateway fake fails on any call it was not given, addNumberToMessagingService included
    const { service, marked } = setup(adopted);
    expect(await service.fulfil('n1', 'purchase-n1')).toBe('adopted');
    expect(marked).toHaveLength(1);
  });
});
