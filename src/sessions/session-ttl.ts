const DAY_MS = 24 * 3600 * 1000;

/** Sessions whose last message is older than this moment have expired. */
export function idleCutoff(now: Date, ttlDays: number): Date {
  return new Date(now.getTime() - ttlDays * DAY_MS);
}

/**
 * Expired even if the sweep has not run yet: the relay checks this when it
 * meets a session, so the TTL holds to the minute whatever the sweep interval.
 */
export function isIdlePastTtl(lastActivityAt: Date, now: Date, ttlDays: number): boolean {
  return lastActivityAt.getTime() < idleCutoff(now, ttlDays).getTime();
}
