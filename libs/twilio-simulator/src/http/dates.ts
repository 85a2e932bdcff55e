/**
 * Twilio's two date dialects: the 2010 API answers RFC 2822
 * ("Wed, 01 Jan 2025 10:00:00 +0000"), the v1 products ISO 8601 without
 * milliseconds. The SDK parses each with its own deserializer.
 */
export function rfc2822(date: Date): string {
  return date.toUTCString().replace('GMT', '+0000');
}

export function iso8601(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}
