import { ConfigError, loadConfig } from './load-config';

function problem(env: Record<string, string>): ConfigError {
  try {
    loadConfig(env);
  } catch (err) {
    if (err instanceof ConfigError) return err;
    throw err;
  }
  throw new Error('expected a ConfigError');
}

describe('loadConfig', () => {
  it('starts on embedded defaults with nothing set', () => {
    const c = loadConfig({});
    expect(c.http).toEqual({ port: 3000, host: '0.0.0.0', publicBaseUrl: 'http://localhost:3000' });
    expect(c.store.driver).toBe('sql');
    expect(c.twilio.simulated).toBe(true);
    expect(c.inventory).toMatchObject({ areaCodes: ['303', '720'], utilizationThreshold: 0.87, cooldownHours: 72, capacityCheckEveryHours: 48, maxPurchasesPerDay: 10 });
    expect(c.relay.sessionTtlDays).toBe(14);
    expect(c.auth.generated).toBe(true);
    expect(c.auth.apiKey.length).toBeGreaterThanOrEqual(16);
  });

  it('defaults the delivery failure policy to SPEC 6: 30001/30003/30008 retried after 10 minutes, owner summary past 5 in 24 h', () => {
    const c = loadConfig({});
    expect(c.relay).toMatchObject({ temporaryFailureCodes: ['30001', '30003', '30008'], deliveryRetryDelayMs: 600_000 });
    expect(c.alerts).toMatchObject({ ownerThreshold: 5, ownerWindowMs: 24 * 3600_000, webhookRetryMs: 30_000 });
    expect(c.twilio.messagingServiceSid).toBeUndefined();
    expect(loadConfig({ TWILIO_MESSAGING_SERVICE_SID: 'MG' + 'a'.repeat(32) }).twilio.messagingServiceSid).toBe('MG' + 'a'.repeat(32));
    expect(problem({ TWILIO_MESSAGING_SERVICE_SID: 'KS' + 'a'.repeat(32) }).message).toMatch(/TWILIO_MESSAGING_SERVICE_SID must look like MG/);
  });

  it('parses numbers, lists and URLs from strings', () => {
    const c = loadConfig({ PORT: '8080', AREA_CODES: '720, 303 ,970', PUBLIC_BASE_URL: 'https://relay.example.com/', POOL_UTILIZATION_THRESHOLD: '0.9' });
    expect(c.http.port).toBe(8080);
    expect(c.http.publicBaseUrl).toBe('https://relay.example.com');
    expect(c.inventory.areaCodes).toEqual(['720', '303', '970']);
    expect(c.inventory.utilizationThreshold).toBe(0.9);
  });

  it.each([
    [{ PORT: 'abc' }, 'PORT'],
    [{ PORT: '80.5' }, 'PORT'],
    [{ PORT: '70000' }, 'PORT'],
    [{ REDIS_URL: 'localhost:6379' }, 'REDIS_URL'],
    [{ STORE_DRIVER: 'mongo' }, 'STORE_DRIVER'],
    [{ AREA_CODES: '303,12' }, 'AREA_CODES'],
    [{ AIRTABLE_REQUESTS_PER_SECOND: '6' }, 'AIRTABLE_REQUESTS_PER_SECOND'],
    [{ TWILIO_ACCOUNT_SID: 'nope' }, 'TWILIO_ACCOUNT_SID'],
    [{ TWILIO_ACCOUNT_SID: 'AC' + '0'.repeat(32) }, 'TWILIO_AUTH_TOKEN'],
    [{ STORE_DRIVER: 'airtable' }, 'AIRTABLE_API_KEY'],
    [{ RELAY_MODE: 'proxy', TWILIO_ACCOUNT_SID: 'AC' + '0'.repeat(32), TWILIO_AUTH_TOKEN: 'f'.repeat(32) }, 'TWILIO_PROXY_SERVICE_SID'],
    [{ RELAY_MODE: 'proxy', TWILIO_PROXY_SERVICE_SID: 'KS-nope' }, 'TWILIO_PROXY_SERVICE_SID'],
    [{ NODE_ENV: 'production' }, 'API_KEY'],
    [{ REDIS_SENTINELS: '10.0.0.7:26379' }, 'REDIS_SENTINEL_NAME'],
    [{ REDIS_SENTINELS: '10.0.0.7' }, 'REDIS_SENTINELS'],
    [{ REDIS_TLS: 'maybe' }, 'REDIS_TLS'],
    [{ REDIS_TLS_CA_FILE: '/nonexistent/ca.pem' }, 'REDIS_TLS_CA_FILE'],
    [{ AIRTABLE_SCHEMA_JSON: '[1,2]' }, 'AIRTABLE_SCHEMA_JSON'],
    [{ API_KEY: 'short' }, 'API_KEY'],
  ])('names the bad variable: %j', (env, variable) => {
    const err = problem(env as Record<string, string>);
    expect(err.variable).toBe(variable);
    expect(err.message).toContain(variable);
    expect(err.message).not.toContain('\n');
  });

  it('outreach senders: a default for the simulator, a per-practice JSON map, none with a real account', () => {
    expect(loadConfig({}).outreach).toEqual({ proxyNumber: '+15005550006', proxyNumbers: {} });
    const practice = '0B6F6C2E-3F0A-4C8E-9D3B-5A1E2F3C4D5E';
    const real = { TWILIO_ACCOUNT_SID: 'AC' + '0'.repeat(32), TWILIO_AUTH_TOKEN: 'token-123456' };
    expect(loadConfig({ ...real, OUTREACH_PROXY_NUMBERS: JSON.stringify({ [practice]: '+13035550101' }) }).outreach).toEqual({
      proxyNumber: undefined,
      proxyNumbers: { [practice.toLowerCase()]: '+13035550101' },
    });
    for (const bad of ['[1]', '{"not-a-uuid":"+13035550101"}', `{"${practice}":"303-555-0101"}`, '{oops']) {
      expect(problem({ OUTREACH_PROXY_NUMBERS: bad }).variable).toBe('OUTREACH_PROXY_NUMBERS');
    }
  });

  it('reads booleans from their words', () => {
    expect(loadConfig({ AIRTABLE_CHECK_SCHEMA: 'false' }).store.airtable.checkSchema).toBe(false);
    expect(loadConfig({ AIRTABLE_CHECK_SCHEMA: '0' }).store.airtable.checkSchema).toBe(false);
    expect(loadConfig({ AIRTABLE_CHECK_SCHEMA: 'yes' }).store.airtable.checkSchema).toBe(true);
    expect(problem({ AIRTABLE_CHECK_SCHEMA: 'maybe' }).variable).toBe('AIRTABLE_CHECK_SCHEMA');
  });

  it('says what a variable expects rather than a range it cannot meet', () => {
    expect(problem({ PORT: 'abc' }).message).toBe('Invalid configuration: PORT must be an integer number (got "abc")');
    expect(problem({ PORT: '70000' }).message).toMatch(/PORT must not be greater than 65535/);
  });

  it('never echoes a secret value in the message', () => {
    expect(problem({ API_KEY: 'short' }).message).not.toContain('short');
  });
});
