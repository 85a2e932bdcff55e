import { Transform } from 'class-transformer';
import {
  IsBoolean,
  IsIn,
  IsInt,
  IsNumber,
  IsOptional,
  IsString,
  IsUrl,
  Matches,
  Max,
  Min,
  MinLength,
} from 'class-validator';

/** Comma-separated list → trimmed, non-empty strings. */
const csv = () =>
  Transform(({ value }) =>
    typeof value === 'string'
      ? value
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean)
      : value,
  );

// reads the raw string: implicit conversion would already have made "false" true
const bool = () =>
  Transform(({ obj, key }) => {
    const value = obj[key];
    if (value === undefined || value === '') return undefined;
    if (/^(1|true|yes|on)$/i.test(String(value))) return true;
    if (/^(0|false|no|off)$/i.test(String(value))) return false;
    return value; // left as a string so @IsBoolean reports it
  });

const url = { require_tld: false, require_protocol: true };

/** comma-separated host:port pairs (Sentinel seeds) */
const HOST_PORT_LIST = /^[A-Za-z0-9.-]+:\d{1,5}(,[A-Za-z0-9.-]+:\d{1,5})*$/;

/**
 * The raw environment as the service accepts it: SPEC section 10 names, plus a
 * few operational knobs. Every property here is documented in `.env.example`.
 * Validation messages are what an operator sees at start-up, so they say what
 * the variable expects.
 */
export class EnvironmentDto {
  @IsOptional() @IsIn(['development', 'production', 'test']) NODE_ENV: 'development' | 'production' | 'test' = 'development';

  @IsInt() @Min(0) @Max(65535) PORT: number = 3000;
  @IsString() HOST: string = '0.0.0.0';
  @IsOptional() @IsUrl(url, { message: 'PUBLIC_BASE_URL must be an absolute http(s) URL such as https://relay.example.com' })
  PUBLIC_BASE_URL?: string;

  @IsOptional() @IsString() @MinLength(16, { message: 'API_KEY must be at least 16 characters' }) API_KEY?: string;
  @IsOptional() @IsString() @MinLength(1) ADMIN_USERNAME?: string;
  @IsOptional() @IsString() @MinLength(8, { message: 'ADMIN_PASSWORD must be at least 8 characters' }) ADMIN_PASSWORD?: string;
  @IsOptional() @IsString() @MinLength(16, { message: 'METRICS_TOKEN must be at least 16 characters' }) METRICS_TOKEN?: string;

  @Matches(/^rediss?:\/\//, { message: 'REDIS_URL must be a redis:// or rediss:// URL' }) REDIS_URL: string = 'redis://127.0.0.1:6379';
  @Matches(/^[A-Za-z0-9_-]{1,40}$/, { message: 'REDIS_PREFIX must be 1-40 letters, digits, - or _' }) REDIS_PREFIX: string = 'maskline';
  @IsOptional() @Matches(HOST_PORT_LIST, { message: 'REDIS_SENTINELS must be comma-separated host:port pairs such as 10.0.0.5:26379,10.0.0.6:26379' })
  REDIS_SENTINELS?: string;
  @IsOptional() @Matches(/^[A-Za-z0-9._-]{1,64}$/, { message: 'REDIS_SENTINEL_NAME must be the monitored primary\'s name, such as mymaster' }) REDIS_SENTINEL_NAME?: string;
  @IsOptional() @IsString() @MinLength(1) REDIS_USERNAME?: string;
  @IsOptional() @IsString() @MinLength(1) REDIS_PASSWORD?: string;
  @bool() @IsBoolean({ message: 'REDIS_TLS must be true or false' }) REDIS_TLS: boolean = false;
  @IsOptional() @IsString() @MinLength(1) REDIS_TLS_CA_FILE?: string;

  @IsIn(['sql', 'airtable'], { message: 'STORE_DRIVER must be "sql" or "airtable"' }) STORE_DRIVER: 'sql' | 'airtable' = 'sql';
  @IsOptional() @Matches(/^postgres(ql)?:\/\//, { message: 'DATABASE_URL must be a postgres:// URL' }) DATABASE_URL?: string;
  @IsString() DATA_DIR: string = './data';

  @IsOptional() @IsString() AIRTABLE_API_KEY?: string;
  @IsOptional() @Matches(/^app[A-Za-z0-9]{14}$/, { message: 'AIRTABLE_BASE_ID must look like appXXXXXXXXXXXXXX' }) AIRTABLE_BASE_ID?: string;
  @IsUrl(url) AIRTABLE_ENDPOINT_URL: string = 'https://api.airtable.com';
  @IsNumber() @Min(0.1) @Max(5, { message: 'AIRTABLE_REQUESTS_PER_SECOND must be at most 5 (Airtable limit per base)' })
  AIRTABLE_REQUESTS_PER_SECOND: number = 4;
  @IsInt() @Min(1000) AIRTABLE_REQUEST_TIMEOUT_MS: number = 15000;
  @IsInt() @Min(0) AIRTABLE_RATE_LIMIT_PAUSE_MS: number = 30000;
  /** JSON object overriding table and field names, e.g. {"tables":{"clients":"Customers"}} */
  @IsOptional() @IsString() AIRTABLE_SCHEMA_JSON?: string;
  @IsOptional() @bool() @IsBoolean() AIRTABLE_CHECK_SCHEMA?: boolean;

  @IsOptional() @Matches(/^AC[0-9a-fA-F]{32}$/, { message: 'TWILIO_ACCOUNT_SID must look like AC followed by 32 hex digits' })
  TWILIO_ACCOUNT_SID?: string;
  @IsOptional() @IsString() @MinLength(8) TWILIO_AUTH_TOKEN?: string;
  @IsOptional() @IsUrl(url, { message: 'TWILIO_BASE_URL must be an absolute http(s) URL' }) TWILIO_BASE_URL?: string;
  @IsInt() @Min(0) @Max(65535) TWILIO_SIMULATOR_PORT: number = 0;
  @IsInt() @Min(1000) TWILIO_TIMEOUT_MS: number = 10000;
  @IsInt() @Min(0) TWILIO_RETRY_BUDGET_SECONDS: number = 600;

  @IsIn(['messaging', 'proxy'], { message: 'RELAY_MODE must be "messaging" or "proxy"' }) RELAY_MODE: 'messaging' | 'proxy' = 'messaging';
  @IsOptional() @Matches(/^KS[0-9a-fA-F]{32}$/, { message: 'TWILIO_PROXY_SERVICE_SID must look like KS followed by 32 hex digits' })
  TWILIO_PROXY_SERVICE_SID?: string;
  @IsOptional() @Matches(/^MG[0-9a-fA-F]{32}$/, { message: 'TWILIO_MESSAGING_SERVICE_SID must look like MG followed by 32 hex digits' })
  TWILIO_MESSAGING_SERVICE_SID?: string;

  @csv() @Matches(/^[2-9]\d{2}$/, { each: true, message: 'AREA_CODES must be a comma-separated list of 3-digit US area codes' })
  AREA_CODES: string[] = ['303', '720'];
  @IsNumber() @Min(0.01) @Max(10) POOL_UTILIZATION_THRESHOLD: number = 0.87;
  @IsNumber() @Min(0) POOL_COOLDOWN_HOURS: number = 72;
  @IsNumber() @Min(0.01) CAPACITY_CHECK_EVERY_HOURS: number = 48;
  @IsNumber() @Min(0.01) STANDBY_CHECK_EVERY_HOURS: number = 24;
  @IsInt() @Min(0) MAX_PURCHASES_PER_DAY: number = 10;
  @IsInt() @Min(1) @Max(10) PURCHASE_ATTEMPTS: number = 6;

  @IsNumber() @Min(0.001) SESSION_TTL_DAYS: number = 14;
  @IsNumber() @Min(0.01) SESSION_EXPIRY_CHECK_EVERY_MINUTES: number = 60;
  @IsInt() @Min(1) @Max(20) RELAY_SEND_ATTEMPTS: number = 8;

  @IsOptional() @Matches(/^\+[1-9]\d{6,14}$/, { message: 'OUTREACH_PROXY_NUMBER must be an E.164 number such as +13035550100' })
  OUTREACH_PROXY_NUMBER?: string;
  /** JSON object practice_id → E.164 sender, e.g. {"0b6f…":"+13035550101"}; parsed in loadConfig */
  @IsOptional() @IsString() OUTREACH_PROXY_NUMBERS?: string;
  @IsOptional() @IsUrl(url) OWNER_ALERT_WEBHOOK_URL?: string;
  @IsOptional() @Matches(/^\+[1-9]\d{6,14}$/, { message: 'OWNER_PHONE must be an E.164 number' }) OWNER_PHONE?: string;
  @csv() @Matches(/^\d{3,6}$/, { each: true, message: 'TEMPORARY_FAILURE_CODES must be comma-separated Twilio error codes' })
  TEMPORARY_FAILURE_CODES: string[] = ['30001', '30003', '30008'];
  @IsNumber() @Min(0) DELIVERY_RETRY_DELAY_SECONDS: number = 600;
  @IsInt() @Min(0) OWNER_ALERT_THRESHOLD: number = 5;
  @IsNumber() @Min(0.001) OWNER_ALERT_WINDOW_HOURS: number = 24;
  /** first wait before an owner webhook that failed is called again; each further wait doubles */
  @IsNumber() @Min(0.01) OWNER_ALERT_RETRY_SECONDS: number = 30;

  /** BullMQ job lock; a job whose worker died is picked up again after about this long */
  @IsInt() @Min(1000) JOB_LOCK_DURATION_MS: number = 30000;

  @IsInt() @Min(1) IDEMPOTENCY_TTL_HOURS: number = 48;
  @IsIn(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']) LOG_LEVEL: string = 'info';
}
