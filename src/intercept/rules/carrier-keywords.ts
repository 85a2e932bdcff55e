/**
 * Twilio's default Advanced Opt-Out keywords. Twilio answers them itself
 * (opt-out, opt-in, help text) and blocks further sends to an opted-out
 * phone, so relaying them as chat would only confuse the other side.
 * Twilio matches a body that is the keyword alone, case-insensitive, with
 * surrounding whitespace and trailing punctuation ignored.
 *
 * YES is left out on purpose although Twilio lists it as an opt-in word:
 * a plain "Yes" in a pet-sitting chat is almost always an answer, and
 * Twilio re-subscribes the phone on its own either way.
 */
export type CarrierKeywordKind = 'opt_out' | 'opt_in' | 'help';

const KEYWORDS = new Map<string, CarrierKeywordKind>([
  ['STOP', 'opt_out'],
  ['STOPALL', 'opt_out'],
  ['UNSUBSCRIBE', 'opt_out'],
  ['CANCEL', 'opt_out'],
  ['END', 'opt_out'],
  ['QUIT', 'opt_out'],
  ['OPTOUT', 'opt_out'],
  ['REVOKE', 'opt_out'],
  ['START', 'opt_in'],
  ['UNSTOP', 'opt_in'],
  ['HELP', 'help'],
  ['INFO', 'help'],
]);

export interface CarrierKeyword {
  keyword: string;
  kind: CarrierKeywordKind;
}

/** The keyword the whole body is, or null for ordinary chat. */
export function detectCarrierKeyword(body: string | null | undefined): CarrierKeyword | null {
  if (!body) return null;
  const word = body
    .trim()
    .replace(/[.!?,;:]+$/u, '')
    .toUpperCase();
  const kind = KEYWORDS.get(word);
  return kind ? { keyword: word, kind } : null;
}
