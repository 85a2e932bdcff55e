import { createHash, timingSafeEqual } from 'node:crypto';

const sha256 = (value: string): Buffer => createHash('sha256').update(value).digest();

// The expected side is one of a few configured secrets, checked on every
// request: its digest is computed once (the secret is in memory anyway).
const expectedDigests = new Map<string, Buffer>();

/** Constant-time string comparison; hashing first makes lengths equal and hides them. */
export function safeEqual(given: string, expected: string): boolean {
  let b = expectedDigests.get(expected);
  if (!b) {
    b = sha256(expected);
    expectedDigests.set(expected, b);
  }
  return timingSafeEqual(sha256(given), b);
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
