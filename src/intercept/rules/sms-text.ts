/**
 * Text measuring for SMS bodies. Lengths are UTF-16 code units (what Twilio
 * counts against its 1600-character body limit); cuts fall on grapheme
 * boundaries so an emoji or an accented letter is never split in half.
 */

/** Twilio refuses a Messages create whose Body is longer than this (error 21617). */
export const TWILIO_MAX_BODY_LENGTH = 1600;

const ELLIPSIS = '…';
const graphemes = new Intl.Segmenter('en', { granularity: 'grapheme' });

/** `text` cut to at most `max` code units, ending in `…` when something was cut. */
export function truncateText(text: string, max: number): string {
  if (text.length <= max) return text;
  if (max <= ELLIPSIS.length) return ELLIPSIS.slice(0, Math.max(0, max));
  let out = '';
  for (const { segment } of graphemes.segment(text)) {
    if (out.length + segment.length > max - ELLIPSIS.length) break;
    out += segment;
  }
  return out.trimEnd() + ELLIPSIS;
}
