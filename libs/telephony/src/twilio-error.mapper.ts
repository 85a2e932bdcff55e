import twilio from 'twilio';
import TwilioServiceException from 'twilio/lib/base/TwilioServiceException';
import { TelephonyError } from './telephony.gateway';

/** Twilio's messages quote phone numbers (21606, 50416...): keep only the last four digits, since callers log them. */
export function maskPhoneNumbers(text: string): string {
  return text.replace(/\+\d{3,}(\d{4})\b/g, '+…$1');
}

function isNetworkFailure(error: unknown): error is Error {
  if (!(error instanceof Error)) return false;
  const code = (error as { code?: unknown }).code;
  // axios marks its own failures; socket errors carry node's E* codes (ECONNRESET, ETIMEDOUT, ECONNABORTED...)
  return (error as { isAxiosError?: boolean }).isAxiosError === true || (typeof code === 'string' && /^E[A-Z_]+$/.test(code));
}

/**
 * Twilio's REST failures become TelephonyError with Twilio's code and HTTP
 * status; timeouts and network failures become uncertain TelephonyErrors
 * (the request may have taken effect). Anything else (a programming error)
 * is returned unchanged.
 */
export function toTelephonyError(error: unknown): unknown {
  if (error instanceof TelephonyError) return error;
  if (error instanceof twilio.RestException) {
    const code = typeof error.code === 'number' ? error.code : null;
    const retryAfterMs = (error as { retryAfterMs?: number }).retryAfterMs ?? null;
    return new TelephonyError(maskPhoneNumbers(error.message || `Twilio answered HTTP ${error.status}`), code, error.status, false, retryAfterMs);
  }
  // newer Twilio APIs answer RFC 9457 problem bodies, which the SDK raises as this other class
  if (error instanceof TwilioServiceException) {
    return new TelephonyError(maskPhoneNumbers(error.detail ?? error.message), error.code || null, error.status);
  }
  if (isNetworkFailure(error)) return new TelephonyError(`Twilio request failed without an answer: ${error.message}`, null, null, true);
  return error;
}

/** Retry-After in seconds or as an HTTP date, in milliseconds from now; null when absent or unreadable. */
export function parseRetryAfter(value: unknown, now = Date.now()): number | null {
  const text = Array.isArray(value) ? value[0] : value;
  if (typeof text !== 'string' || text.trim() === '') return null;
  if (/^\d+$/.test(text.trim())) return Number(text.trim()) * 1000;
  const at = Date.parse(text);
  return Number.isNaN(at) ? null : Math.max(0, at - now);
}
