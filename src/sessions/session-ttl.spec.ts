import { idleCutoff, isIdlePastTtl } from './session-ttl';

describe('session TTL', () => {
  const now = new Date('2025-03-15T12:00:00Z');

  it('puts the cutoff TTL days before now', () => {
    expect(idleCutoff(now, 14).toISOString()).toBe('2025-03-01T12:00:00.000Z');
  });

  it('expires a session only strictly past the TTL', () => {
    expect(isIdlePastTtl(new Date('2025-03-01T11:59:59Z'), now, 14)).toBe(true);
    expect(isIdlePastTtl(new Date('2025-03-01T12:00:00Z'), now, 14)).toBe(false);
    expect(isIdlePastTtl(new Date('2025-03-14T00:00:00Z'), now, 14)).toBe(false);
  });
});
