import { createHash, timingSafeEqual } from 'node:crypto';

/** Constant-time string comparison; hashing first makes lengths equal and hides them. */
export function safeEqual(given: string, expected: string): boolean {
  const a = createHash('sha256').update(given).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b);
}

/** Parses `Basic base64(user:pass)` and checks it in constant time. */
export function basicAuthMatches(header: string | undefined, username: string, password: string): boolean {
  const match = /^Basic\s+(.+)$/i.exec(header ?? '');
  if (!match) return false;
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  const sep = decoded.indexOf(':');
  if (sep < 0) return false;
  // evaluate both halves so timing does not tell which one was wrong
  const userOk = safeEqual(decoded.slice(0, sep), username);
  const passOk = safeEqual(decoded.slice(sep + 1), password);
  return userOk && passOk;
}

export const ADMIN_CHALLENGE = 'Basic realm="Maskline admin", charset="UTF-8"';
