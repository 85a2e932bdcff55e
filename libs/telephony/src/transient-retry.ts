import { setTimeout as sleep } from 'node:timers/promises';
import { TelephonyError } from './telephony.gateway';

export interface TransientRetryOptions {
  /** how long transient failures are retried, from the first call; the last failure is thrown after it */
  budgetMs: number;
  /** first wait; each further wait doubles, up to maxDelayMs */
  firstDelayMs?: number;
  maxDelayMs?: number;
  onRetry?: (error: TelephonyError, waitMs: number) => void;
  /** for tests */
  clock?: { now(): number; sleep(ms: number): Promise<unknown> };
}

const realClock = { now: () => Date.now(), sleep: (ms: number) => sleep(ms) };

/**
 * Runs one Twilio step again while it fails transiently (429, 5xx, timeout),
 * waiting with capped exponential back-off and jitter, and never less than
 * Twilio's Retry-After. Only that step is repeated, so what succeeded before
 * it is not redone; a permanent failure, or the budget spent, is thrown.
 * A step whose effect may have happened (a timeout) must be safe to repeat:
 * callers look for the earlier effect first (purchase token, sent message).
 */
export async function retryTransient<T>(step: () => Promise<T>, options: TransientRetryOptions): Promise<T> {
  // waits capped at 10 s: a Twilio incident is ridden out by many short waits within the budget, not a few long ones
  const { budgetMs, firstDelayMs = 1_000, maxDelayMs = 10_000, onRetry, clock = realClock } = options;
  const started = clock.now();
  for (let retry = 0; ; retry++) {
    try {
      return await step();
    } catch (error) {
      if (!(error instanceof TelephonyError) || !error.retryable) throw error;
      const backoff = Math.min(maxDelayMs, firstDelayMs * 2 ** retry) * (0.8 + Math.random() * 0.4);
      const waitMs = Math.round(Math.max(backoff, error.retryAfterMs ?? 0));
      if (clock.now() - started + waitMs > budgetMs) throw error;
      onRetry?.(error, waitMs);
      await clock.sleep(waitMs);
    }
  }
}
