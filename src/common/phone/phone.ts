import { parsePhoneNumberFromString } from 'libphonenumber-js';

/** E.164 for a US-default number as Zapier/Time to Pet send it, or null when it is not a valid number. */
export function toE164(raw: string | null | undefined, defaultCountry: 'US' = 'US'): string | null {
  if (!raw || typeof raw !== 'string') return null;
  const parsed = parsePhoneNumberFromString(raw.trim(), defaultCountry);
  return parsed && parsed.isValid() ? parsed.number : null;
}

/** `+1303***0112` style: only the last four digits survive; used in logs and labels. */
export function maskPhone(phone: string | null | undefined): string {
  if (!phone) return '';
  const digits = phone.replace(/\D/g, '');
  return digits.length <= 4 ? '****' : `***${digits.slice(-4)}`;
}

export function lastFour(phone: string): string {
  return phone.replace(/\D/g, '').slice(-4);
}

// Phone-looking runs in free text: +E.164, or 10-11 digits with the usual separators.
const PHONE_IN_TEXT = /(?<![\w])(?:\+\d{8,15}|(?:\+?1[\s.-]?)?\(?\d{3}\)?[\s.-]?\d{3}[\s.-]?\d{4})(?![\w])/g;

/** masks every phone-looking run in a string (URL-encoded `%2B` too) */
export function maskPhonesInText(text: string): string {
  return text.replace(/%2B(\d{8,15})/gi, (_m, d: string) => `%2B***${d.slice(-4)}`).replace(PHONE_IN_TEXT, (m) => maskPhone(m));
}
