import { decideReplenish, decideStandby, utilizationRate } from './replenish-decision';

describe('utilizationRate', () => {
  it('is active sessions over ready pool numbers', () => {
    expect(utilizationRate(9, 10)).toBeCloseTo(0.9);
    expect(utilizationRate(10, 20)).toBeCloseTo(0.5);
  });

  it('counts no ready pool number as 100 %, sessions or not', () => {
    expect(utilizationRate(0, 0)).toBe(1);
    expect(utilizationRate(5, 0)).toBe(1);
  });
});

describe('decideReplenish (seed Zap 4)', () => {
  const threshold = 0.87;

  it('Test 1: 10 ready, 9 active, nothing pending, cooldown free: buys', () => {
    expect(decideReplenish({ readyPoolCount: 10, activeSessions: 9, pendingPoolCount: 0 }, threshold, true)).toEqual({
      action: 'purchase',
      utilizationRate: 0.9,
    });
  });

  it('Test 2: 20 ready, 10 active: below threshold', () => {
    expect(decideReplenish({ readyPoolCount: 20, activeSessions: 10, pendingPoolCount: 0 }, threshold, true)).toEqual({
      action: 'none',
      reason: 'below_threshold',
      utilizationRate: 0.5,
    });
  });

  it('Test 3: threshold met but the cooldown guard is taken', () => {
    expect(decideReplenish({ readyPoolCount: 10, activeSessions: 9, pendingPoolCount: 0 }, threshold, false)).toMatchObject({
      action: 'none',
      reason: 'cooldown_active',
    });
  });

  it('a pending pool purchase blocks before the cooldown is looked at', () => {
    expect(decideReplenish({ readyPoolCount: 10, activeSessions: 9, pendingPoolCount: 1 }, threshold, false)).toMatchObject({
      action: 'none',
      reason: 'pending_exists',
    });
  });

  it('the threshold itself is enough (≥, not >)', () => {
    expect(decideReplenish({ readyPoolCount: 100, activeSessions: 87, pendingPoolCount: 0 }, threshold, true).action).toBe('purchase');
    expect(decideReplenish({ readyPoolCount: 100, activeSessions: 86, pendingPoolCount: 0 }, threshold, true).action).toBe('none');
  });

  it('an empty pool buys even with no sessions', () => {
    expect(decideReplenish({ readyPoolCount: 0, activeSessions: 0, pendingPoolCount: 0 }, threshold, true)).toEqual({
      action: 'purchase',
      utilizationRate: 1,
    });
  });

  it('below threshold wins over every other reason', () => {
    expect(decideReplenish({ readyPoolCount: 20, activeSessions: 1, pendingPoolCount: 3 }, threshold, false)).toMatchObject({ reason: 'below_threshold' });
  });
});

describe('decideStandby (seed Zap 5)', () => {
  it('buys only when no standby is ready and none is pending', () => {
    expect(decideStandby({ ready: 0, pending: 0 })).toEqual({ action: 'purchase' });
    expect(decideStandby({ ready: 1, pending: 0 })).toEqual({ action: 'none', reason: 'standby_available' });
    expect(decideStandby({ ready: 0, pending: 1 })).toEqual({ action: 'none', reason: 'pending_exists' });
  });
});
