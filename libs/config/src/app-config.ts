/**
 * The typed configuration every module receives. Built once at boot by
 * `loadConfig()`; nothing else reads the process environment.
 */
export interface AirtableSchemaOverrides {
  tables?: Record<string, string>;
  fields?: Record<string, Record<string, string>>;
}

export class AppConfig {
  env!: 'development' | 'production' | 'test';
  http!: { port: number; host: string; publicBaseUrl: string };
  auth!: {
    apiKey: string;
    adminUsername: string;
    adminPassword: string;
    /** true when any of the three was generated because it was unset (embedded start) */
    generated: boolean;
    /** bearer token a Prometheus scraper sends to /metrics (METRICS_TOKEN); admin credentials work too */
    metricsToken?: string;
  };
  redis!: {
    /** single: REDIS_URL (redis:// or rediss://); sentinel: REDIS_SENTINELS + REDIS_SENTINEL_NAME */
    mode: 'single' | 'sentinel';
    url: string;
    prefix: string;
    /** Sentinel seeds */
    sentinels: { host: string; port: number }[];
    sentinelName?: string;
    /** for modes without a URL to carry them (a URL's own credentials win) */
    username?: string;
    password?: string;
    /** TLS on every connection: rediss:// or REDIS_TLS=true */
    tls: boolean;
    /** PEM of REDIS_TLS_CA_FILE: a CA to trust besides the system's (a self-signed one) */
    tlsCa?: string;
  };
  store!: {
    driver: 'sql' | 'airtable';
    databaseUrl?: string;
    dataDir: string;
    airtable: {
      apiKey?: string;
      baseId?: string;
      endpointUrl: string;
      requestsPerSecond: number;
      requestTimeoutMs: number;
      rateLimitPauseMs: number;
      schema: AirtableSchemaOverrides;
      checkSchema: boolean;
    };
  };
  twilio!: {
    /** no account configured: the built-in simulator serves every Twilio call */
    simulated: boolean;
    accountSid: string;
    authToken: string;
    baseUrl?: string;
    simulatorPort: number;
    timeoutMs: number;
    /** how long one Twilio step (buy, send...) retries 429/5xx/timeouts inside its job, honouring Retry-After */
    transientRetryBudgetMs: number;
    relayMode: 'messaging' | 'proxy';
    proxyServiceSid?: string;
    /** the A2P 10DLC Messaging Service every bought number joins; unset: none */
    messagingServiceSid?: string;
  };
  inventory!: {
    areaCodes: string[];
    utilizationThreshold: number;
    cooldownHours: number;
    capacityCheckEveryHours: number;
    standbyCheckEveryHours: number;
    maxPurchasesPerDay: number;
    purchaseAttempts: number;
  };
  relay!: {
    sessionTtlDays: number;
    sessionExpiryCheckEveryMinutes: number;
    sendAttempts: number;
    /** delivery error codes retried once (SPEC 6); any other failure code is permanent */
    temporaryFailureCodes: string[];
    deliveryRetryDelayMs: number;
  };
  outreach!: {
    /** the sender every practice uses unless proxyNumbers names its own; unset with a real account: outreach answers 503 */
    proxyNumber?: string;
    /** practice_id (lowercase UUID) → its own sender (OUTREACH_PROXY_NUMBERS) */
    proxyNumbers: Record<string, string>;
  };
  alerts!: {
    ownerWebhookUrl?: string;
    ownerPhone?: string;
    /** more permanent failures than this within the window send one owner summary */
    ownerThreshold: number;
    ownerWindowMs: number;
    /** first back-off of an owner webhook answering non-2xx */
    webhookRetryMs: number;
  };
  queues!: { jobLockDurationMs: number };
  idempotencyTtlHours!: number;
  logLevel!: string;
}
