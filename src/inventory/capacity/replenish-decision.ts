/**
 * The pool capacity rule (seed Zap 4), free of Redis and HTTP so it can be
 * tested on its own: buy only when utilization reaches the threshold, no pool
 * purchase is already pending, and the cooldown guard is free.
 */
export interface PoolFigures {
  readyPoolCount: number;
  pendingPoolCount: number;
  activeSessions: number;
}

export type ReplenishBlock = 'below_threshold' | 'pending_exists' | 'cooldown_active';

export type ReplenishDecision =
  | { action: 'purchase'; utilizationRate: number }
  | { action: 'none'; reason: ReplenishBlock; utilizationRate: number };

/** active sessions per ready pool number; 1.0 (100 %) when no pool number is ready */
export function utilizationRate(activeSessions: number, readyPoolCount: number): number {
  return readyPoolCount === 0 ? 1 : activeSessions / readyPoolCount;
}

/**
 * The reasons are checked in the seed's order: threshold, then pending
 * purchases, then cooldown, so a caller learns the first rule that stopped it.
 */
export function decideReplenish(figures: PoolFigures, threshold: number, guardFree: boolean): ReplenishDecision {
  const rate = utilizationRate(figures.activeSessions, figures.readyPoolCount);
  if (rate < threshold) return { action: 'none', reason: 'below_threshold', utilizationRate: rate };
  if (figures.pendingPoolCount > 0) return { action: 'none', reason: 'pending_exists', utilizationRate: rate };
  if (!guardFree) return { action: 'none', reason: 'cooldown_active', utilizationRate: rate };
  return { action: 'purchase', utilizationRate: rate };
}

export type StandbyBlock = 'standby_available' | 'pending_exists';

/** Standby keeper (seed Zap 5): one standby number when none is ready and none is being bought. */
export function decideStandby(counts: { ready: number; pending: number }): { action: 'purchase' } | { action: 'none'; reason: StandbyBlock } {
  if (counts.ready > 0) return { action: 'none', reason: 'standby_available' };
  if (counts.pending > 0) return { action: 'none', reason: 'pending_exists' };
  return { action: 'purchase' };
}
