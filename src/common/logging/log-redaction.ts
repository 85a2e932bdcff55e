import { maskPhonesInText } from '../phone/phone';

// Keys whose values are never logged: message bodies and credentials.
const SECRET_KEYS = /^(body|Body|authorization|x-api-key|x-twilio-signature|cookie|password|token|authToken|apiKey|api_key|adminPassword)$/;

function isPlainObject(value: object): boolean {
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/**
 * Copies a log object with phone numbers masked and secrets/bodies replaced.
 * Only plain objects and arrays are walked: pino-http hands in the raw
 * request/response objects, which its serializers reduce afterwards (and
 * walking a socket graph on every log line would cost more than the request).
 */
export function redactForLog(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return maskPhonesInText(value);
  if (value === null || typeof value !== 'object' || depth > 6) return value;
  if (value instanceof Error) return { type: value.name, message: maskPhonesInText(value.message), stack: value.stack && maskPhonesInText(value.stack) };
  if (Array.isArray(value)) return value.map((v) => redactForLog(v, depth + 1));
  if (!isPlainObject(value)) return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k] = SECRET_KEYS.test(k) ? '[redacted]' : redactForLog(v, depth + 1);
  return out;
}
