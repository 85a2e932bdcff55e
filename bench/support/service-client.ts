import { getExpectedTwilioSignature } from 'twilio/lib/webhooks/webhooks';
import { SIMULATOR_ACCOUNT_SID, SIMULATOR_AUTH_TOKEN } from '@maskline/config';
import { messageSid, SignedWebhook } from './relay-harness';

/** The service's public API as a bench drives it: the API key, JSON, and a bounded wait for a condition. */
export const BENCH_API_KEY = 'bench-api-key-0123456789';
export const benchHeaders = { 'x-api-key': BENCH_API_KEY, 'content-type': 'application/json' };

export async function call(base: string, method: 'GET' | 'POST', path: string, body?: unknown): Promise<any> {
  const res = await fetch(`${base}${path}`, { method, headers: benchHeaders, body: body ? JSON.stringify(body) : undefined });
  if (res.status >= 400) throw new Error(`${method} ${path} answered ${res.status}: ${await res.text()}`);
  return res.json();
}

/** polls `read` until `ok` holds (errors count as not yet); throws naming `what` after the timeout */
export async function until<T>(what: string, read: () => Promise<T>, ok: (v: T) => boolean, timeoutMs = 120_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read().catch(() => undefined as T);
    if (value !== undefined && ok(value)) return value;
    if (Date.now() > deadline) throw new Error(`gave up waiting for ${what} (last seen: ${JSON.stringify(value)})`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** a client texting a sitter's reserved number */
export interface TextingPair {
  client: string;
  reserved: string;
}

/** sitters with reserved numbers, their clients' phones and a bought pool, through the public API as ops would */
export async function seedThroughApi(base: string, opts: { sitters: number; clientsPerSitter: number; poolNumbers: number }): Promise<TextingPair[]> {
  const pairs: TextingPair[] = [];
  for (let s = 0; s < opts.sitters; s++) {
    const sitter = await call(base, 'POST', '/sitters', { name: `Bench Sitter ${s}`, phone: `+1970555${String(2000 + s).padStart(4, '0')}` });
    await call(base, 'POST', '/attach-number', { sitter_id: sitter.sitter_id, area_code: '303' });
    const ready = await until('a reserved number', () => call(base, 'GET', `/sitters/${sitter.sitter_id}`), (v) => Boolean(v.reserved_number) && v.status === 'active');
    for (let c = 0; c < opts.clientsPerSitter; c++) pairs.push({ client: `+1719555${String(2000 + s * opts.clientsPerSitter + c).padStart(4, '0')}`, reserved: ready.reserved_number });
  }
  const bought = await call(base, 'POST', '/numbers/purchase', { lifecycle: 'pool', area_code: '720', quantity: opts.poolNumbers });
  for (const n of bought.numbers as { number_inventory_id: string }[]) await until('a pool number', () => call(base, 'GET', `/numbers/${n.number_inventory_id}`), (v) => v.status === 'ready');
  return pairs;
}

/** `count` inbound texts as Twilio would post them to `base`/intercept (the simulator's credentials), each its own MessageSid from `firstSid` */
export function signedTexts(base: string, pairs: TextingPair[], count: number, firstSid = 1): SignedWebhook[] {
  return Array.from({ length: count }, (_, i) => {
    const { client, reserved } = pairs[i % pairs.length];
    const sid = messageSid(firstSid + i);
    const params = { AccountSid: SIMULATOR_ACCOUNT_SID, MessageSid: sid, SmsSid: sid, From: client, To: reserved, Body: `bench #${i}`, NumMedia: '0' };
    return { messageSid: sid, body: new URLSearchParams(params).toString(), signature: getExpectedTwilioSignature(SIMULATOR_AUTH_TOKEN, `${base}/intercept`, params) };
  });
}

/** the environment of a built service process a bench starts: its own Redis prefix, the simulator process as Twilio, the bench's API key */
export function benchServiceEnv(opts: { base: string; prefix: string; simUrl: string; redisUrl: string }): Record<string, string> {
  return {
    NODE_ENV: 'development',
    HOST: '127.0.0.1',
    PUBLIC_BASE_URL: opts.base,
    API_KEY: BENCH_API_KEY,
    ADMIN_USERNAME: 'bench',
    ADMIN_PASSWORD: 'bench-password',
    REDIS_URL: opts.redisUrl,
    REDIS_PREFIX: opts.prefix,
    LOG_LEVEL: 'warn',
    TWILIO_ACCOUNT_SID: SIMULATOR_ACCOUNT_SID,
    TWILIO_AUTH_TOKEN: SIMULATOR_AUTH_TOKEN,
    TWILIO_BASE_URL: opts.simUrl,
    // the seeding buys tens of numbers at once
    MAX_PURCHASES_PER_DAY: '1000',
  };
}
