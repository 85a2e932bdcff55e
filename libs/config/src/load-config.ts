import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { plainToInstance } from 'class-transformer';
import { validateSync, ValidationError } from 'class-validator';
import { AirtableSchemaOverrides, AppConfig } from './app-config';
import { EnvironmentDto } from './environment.dto';

/** A start-up failure whose message is the one line an operator needs. */
export class ConfigError extends Error {
  constructor(
    readonly variable: string,
    message: string,
  ) {
    super(message);
    this.name = 'ConfigError';
  }
}

// The simulator's fixed test account: real-looking so the SDK accepts it.
export const SIMULATOR_ACCOUNT_SID = 'AC00000000000000000000000000000000';
export const SIMULATOR_AUTH_TOKEN = 'simulator-auth-token-0000000000000';
/** the outreach sender when the simulator stands in for Twilio and OUTREACH_PROXY_NUMBER is unset */
export const SIMULATOR_OUTREACH_NUMBER = '+15005550006';

type Env = Record<string, string | undefined>;

const TYPE_CONSTRAINTS = ['isInt', 'isNumber', 'isBoolean', 'isIn', 'isUrl', 'matches', 'isString'];

function firstProblem(errors: ValidationError[], env: Env): ConfigError {
  const e = errors[0];
  // the type check says what is expected ("must be an integer"); a range check on a non-number would mislead
  const constraints = e.constraints ?? {};
  const first = TYPE_CONSTRAINTS.find((name) => constraints[name]);
  const message = (first ? constraints[first] : Object.values(constraints)[0]) ?? `${e.property} is invalid`;
  const got = env[e.property];
  const shown = e.property.match(/KEY|TOKEN|PASSWORD|SECRET/) ? '' : got === undefined ? '' : ` (got "${got}")`;
  return new ConfigError(e.property, `Invalid configuration: ${message}${shown}`);
}

function parseSchema(raw: string | undefined): AirtableSchemaOverrides {
  if (!raw) return {};
  try {
    const parsed = JSON.parse(raw);
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error('not an object');
    return parsed as AirtableSchemaOverrides;
  } catch {
    throw new ConfigError('AIRTABLE_SCHEMA_JSON', 'Invalid configuration: AIRTABLE_SCHEMA_JSON must be a JSON object such as {"tables":{"clients":"Clients"}}');
  }
}

const E164 = /^\+[1-9]\d{6,14}$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Which Redis to reach and how (one factory in @maskline/redis turns this into connections). */
function redisSettings(dto: EnvironmentDto): AppConfig['redis'] {
  const sentinels = (dto.REDIS_SENTINELS ?? '')
    .split(',')
    .filter(Boolean)
    .map((pair) => ({ host: pair.slice(0, pair.lastIndexOf(':')), port: Number(pair.slice(pair.lastIndexOf(':') + 1)) }));
  if (sentinels.length) required(dto.REDIS_SENTINEL_NAME, 'REDIS_SENTINEL_NAME', 'when REDIS_SENTINELS is set');
  let tlsCa: string | undefined;
  if (dto.REDIS_TLS_CA_FILE) {
    try {
      tlsCa = readFileSync(dto.REDIS_TLS_CA_FILE, 'utf8');
    } catch (error) {
      throw new ConfigError('REDIS_TLS_CA_FILE', `Invalid configuration: REDIS_TLS_CA_FILE cannot be read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}): ${dto.REDIS_TLS_CA_FILE}`);
    }
  }
  return {
    mode: sentinels.length ? 'sentinel' : 'single',
    url: dto.REDIS_URL,
    prefix: dto.REDIS_PREFIX,
    sentinels,
    sentinelName: dto.REDIS_SENTINEL_NAME,
    username: dto.REDIS_USERNAME,
    password: dto.REDIS_PASSWORD,
    tls: dto.REDIS_TLS || dto.REDIS_URL.startsWith('rediss://'),
    tlsCa,
  };
}

/** OUTREACH_PROXY_NUMBERS: {"<practice uuid>": "+E164", ...}, keys lowercased */
function parseProxyNumbers(raw: string | undefined): Record<string, string> {
  if (!raw) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    parsed = null;
  }
  const entries = typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? Object.entries(parsed) : null;
  if (!entries || entries.some(([practice, phone]) => !UUID.test(practice) || typeof phone !== 'string' || !E164.test(phone))) {
    throw new ConfigError(
      'OUTREACH_PROXY_NUMBERS',
      'Invalid configuration: OUTREACH_PROXY_NUMBERS must be a JSON object mapping practice UUIDs to E.164 numbers, such as {"0b6f6c2e-3f0a-4c8e-9d3b-5a1e2f3c4d5e":"+13035550101"}',
    );
  }
  return Object.fromEntries(entries.map(([practice, phone]) => [practice.toLowerCase(), phone as string]));
}

function required(value: string | undefined, variable: string, why: string): string {
  if (!value) throw new ConfigError(variable, `Invalid configuration: ${variable} is required ${why}`);
  return value;
}

/**
 * Parses and validates the environment into an AppConfig. Throws ConfigError
 * naming the first bad variable. Empty strings count as unset.
 */
export function loadConfig(source: Env = process.env): AppConfig {
  const env: Env = Object.fromEntries(Object.entries(source).filter(([, v]) => v !== undefined && v !== ''));

  const dto = plainToInstance(EnvironmentDto, env, { enableImplicitConversion: true, exposeDefaultValues: true });
  const errors = validateSync(dto, { forbidUnknownValues: false });
  if (errors.length) throw firstProblem(errors, env);

  const production = dto.NODE_ENV === 'production';
  const why = 'when NODE_ENV=production';
  const apiKey = production ? required(dto.API_KEY, 'API_KEY', why) : dto.API_KEY;
  const adminUsername = production ? required(dto.ADMIN_USERNAME, 'ADMIN_USERNAME', why) : dto.ADMIN_USERNAME;
  const adminPassword = production ? required(dto.ADMIN_PASSWORD, 'ADMIN_PASSWORD', why) : dto.ADMIN_PASSWORD;

  const simulated = !dto.TWILIO_ACCOUNT_SID;
  if (!simulated) required(dto.TWILIO_AUTH_TOKEN, 'TWILIO_AUTH_TOKEN', 'when TWILIO_ACCOUNT_SID is set');
  if (dto.TWILIO_AUTH_TOKEN && simulated) required(dto.TWILIO_ACCOUNT_SID, 'TWILIO_ACCOUNT_SID', 'when TWILIO_AUTH_TOKEN is set');
  if (production && simulated) required(dto.TWILIO_ACCOUNT_SID, 'TWILIO_ACCOUNT_SID', why);
  // on the simulator the service creates a Proxy service of its own (ProxyServiceRef)
  if (dto.RELAY_MODE === 'proxy' && !simulated) required(dto.TWILIO_PROXY_SERVICE_SID, 'TWILIO_PROXY_SERVICE_SID', 'when RELAY_MODE=proxy with a Twilio account');
  if (dto.STORE_DRIVER === 'airtable') {
    required(dto.AIRTABLE_API_KEY, 'AIRTABLE_API_KEY', 'when STORE_DRIVER=airtable');
    required(dto.AIRTABLE_BASE_ID, 'AIRTABLE_BASE_ID', 'when STORE_DRIVER=airtable');
  }
  const schema = parseSchema(dto.AIRTABLE_SCHEMA_JSON);

  const port = dto.PORT;
  return Object.assign(new AppConfig(), {
    env: dto.NODE_ENV,
    http: { port, host: dto.HOST, publicBaseUrl: (dto.PUBLIC_BASE_URL ?? `http://localhost:${port}`).replace(/\/+$/, '') },
    auth: {
      apiKey: apiKey ?? randomBytes(18).toString('base64url'),
      adminUsername: adminUsername ?? 'admin',
      adminPassword: adminPassword ?? randomBytes(12).toString('base64url'),
      generated: !apiKey || !adminUsername || !adminPassword,
      metricsToken: dto.METRICS_TOKEN,
    },
    redis: redisSettings(dto),
    store: {
      driver: dto.STORE_DRIVER,
      databaseUrl: dto.DATABASE_URL,
      dataDir: dto.DATA_DIR,
      airtable: {
        apiKey: dto.AIRTABLE_API_KEY,
        baseId: dto.AIRTABLE_BASE_ID,
        endpointUrl: dto.AIRTABLE_ENDPOINT_URL.replace(/\/+$/, ''),
        requestsPerSecond: dto.AIRTABLE_REQUESTS_PER_SECOND,
        requestTimeoutMs: dto.AIRTABLE_REQUEST_TIMEOUT_MS,
        rateLimitPauseMs: dto.AIRTABLE_RATE_LIMIT_PAUSE_MS,
        schema,
        checkSchema: dto.AIRTABLE_CHECK_SCHEMA ?? true,
      },
    },
    twilio: {
      simulated,
      accountSid: dto.TWILIO_ACCOUNT_SID ?? SIMULATOR_ACCOUNT_SID,
      authToken: dto.TWILIO_AUTH_TOKEN ?? SIMULATOR_AUTH_TOKEN,
      baseUrl: dto.TWILIO_BASE_URL?.replace(/\/+$/, ''),
      simulatorPort: dto.TWILIO_SIMULATOR_PORT,
      timeoutMs: dto.TWILIO_TIMEOUT_MS,
      transientRetryBudgetMs: dto.TWILIO_RETRY_BUDGET_SECONDS * 1000,
      relayMode: dto.RELAY_MODE,
      proxyServiceSid: dto.TWILIO_PROXY_SERVICE_SID,
      messagingServiceSid: dto.TWILIO_MESSAGING_SERVICE_SID,
    },
    inventory: {
      areaCodes: dto.AREA_CODES,
      utilizationThreshold: dto.POOL_UTILIZATION_THRESHOLD,
      cooldownHours: dto.POOL_COOLDOWN_HOURS,
      capacityCheckEveryHours: dto.CAPACITY_CHECK_EVERY_HOURS,
      standbyCheckEveryHours: dto.STANDBY_CHECK_EVERY_HOURS,
      maxPurchasesPerDay: dto.MAX_PURCHASES_PER_DAY,
      purchaseAttempts: dto.PURCHASE_ATTEMPTS,
    },
    relay: {
      sessionTtlDays: dto.SESSION_TTL_DAYS,
      sessionExpiryCheckEveryMinutes: dto.SESSION_EXPIRY_CHECK_EVERY_MINUTES,
      sendAttempts: dto.RELAY_SEND_ATTEMPTS,
      temporaryFailureCodes: dto.TEMPORARY_FAILURE_CODES,
      deliveryRetryDelayMs: Math.round(dto.DELIVERY_RETRY_DELAY_SECONDS * 1000),
    },
    outreach: {
      proxyNumber: dto.OUTREACH_PROXY_NUMBER ?? (simulated ? SIMULATOR_OUTREACH_NUMBER : undefined),
      proxyNumbers: parseProxyNumbers(dto.OUTREACH_PROXY_NUMBERS),
    },
    alerts: {
      ownerWebhookUrl: dto.OWNER_ALERT_WEBHOOK_URL,
      ownerPhone: dto.OWNER_PHONE,
      ownerThreshold: dto.OWNER_ALERT_THRESHOLD,
      ownerWindowMs: Math.round(dto.OWNER_ALERT_WINDOW_HOURS * 3600_000),
      webhookRetryMs: Math.round(dto.OWNER_ALERT_RETRY_SECONDS * 1000),
    },
    queues: { jobLockDurationMs: dto.JOB_LOCK_DURATION_MS },
    idempotencyTtlHours: dto.IDEMPOTENCY_TTL_HOURS,
    logLevel: dto.LOG_LEVEL,
  } satisfies AppConfig);
}
