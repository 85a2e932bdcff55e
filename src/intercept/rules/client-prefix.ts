import { lastFour } from '../../common/phone/phone';
import { truncateText, TWILIO_MAX_BODY_LENGTH } from './sms-text';

/** Longest label inside the brackets: a sitter reads it on a lock screen. */
export const MAX_LABEL_LENGTH = 30;

// Format characters (bidi overrides could make a label read as something else), controls, line breaks.
const INVISIBLE = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/gu;
// Pictographs in the label would switch every forwarded message to UCS-2 (70 characters a segment instead of 160).
const PICTOGRAPHIC = /[\p{Extended_Pictographic}\p{Emoji_Modifier}\p{Regional_Indicator}\uFE0E\uFE0F\u20E3]/gu;
// A run that looks like a phone number: at least 7 digits with the usual separators.
const PHONE_RUN = /\+?\(?\d[\d\s().-]{5,}\d/g;

function maskPhoneRuns(text: string): string {
  return text.replace(PHONE_RUN, (run) => {
    const digits = run.replace(/\D/g, '');
    return digits.length >= 7 ? `...${digits.slice(-4)}` : run;
  });
}

/** The name as it may appear in a label: one line, no pictographs, no brackets, no phone numbers. */
export function sanitizeName(name: string | null | undefined): string {
  if (!name) return '';
  const cleaned = name
    .replace(INVISIBLE, ' ')
    .replace(PICTOGRAPHIC, '')
    .replace(/\[/g, '(')
    .replace(/]/g, ')')
    .replace(/\s+/g, ' ')
    .trim();
  return maskPhoneRuns(cleaned);
}

/** "Alexandria Montgomery-Smithson Jr" → "Alexandria J."; else cut with an ellipsis. */
function shorten(name: string): string {
  if (name.length <= MAX_LABEL_LENGTH) return name;
  const words = name.split(' ');
  if (words.length > 1) {
    const last = [...words[words.length - 1]][0];
    const initialed = `${words[0]} ${last}.`;
    if (initialed.length <= MAX_LABEL_LENGTH) return initialed;
  }
  return truncateText(name, MAX_LABEL_LENGTH);
}

/**
 * `[Client Name]: ` for messages a sitter receives. Without a usable name the
 * label shows only the last four digits (`[Client ...0112]: `): the prefix
 * never carries a full phone number, even when the name itself contains one.
 */
export function formatClientPrefix(name: string | null | undefined, phone: string): string {
  return `[${clientLabel(name, phone)}]: `;
}

/** How a sitter (or the owner) sees a client: the name, or `Client ...0112`; never the whole number. */
export function clientLabel(name: string | null | undefined, phone: string): string {
  const label = shorten(sanitizeName(name));
  const digits = lastFour(phone);
  return label || (digits.length === 4 ? `Client ...${digits}` : 'Client');
}

/** Prefix + body within Twilio's body limit; the body is shortened, never the prefix. */
export function composeRelayBody(prefix: string, body: string): string {
  if (!body) return prefix.trimEnd();
  return prefix + truncateText(body, TWILIO_MAX_BODY_LENGTH - prefix.length);
}
