const FIRST_RECHECK_MS = 30_000;
const MAX_RECHECK_MS = 10 * 60_000;

/**
 * How long a message held for a pool number waits before it looks again by
 * itself. A new pool number normally releases it at once; the re-check is
 * the safety net (a purchase that failed, a signal that was missed) and also
 * renews the exhaustion purchase request. Doubles each time, up to 10 minutes.
 */
export function heldRecheckDelayMs(timesHeld: number): number {
  return Math.min(MAX_RECHECK_MS, FIRST_RECHECK_MS * 2 ** Math.max(0, timesHeld - 1));
}
