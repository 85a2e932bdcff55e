import { TelephonyError } from '@maskline/telephony';

/** Twilio: no local number for sale in the area code. */
export const NO_NUMBERS_IN_AREA_CODE = 21452;
/** Twilio: this particular number is no longer for sale (someone bought it between search and buy). */
export const NUMBER_NOT_AVAILABLE = 21422;

/**
 * The area codes a purchase tries, in order: the one asked for, then the
 * configured ones (AREA_CODES, first preferred), each once.
 */
export function areaCodePlan(requested: string, configured: readonly string[]): string[] {
  return [...new Set([requested, ...configured])];
}

/**
 * Search answers start with the same numbers for everyone, so concurrent jobs
 * (a bulk purchase, several workers) would all try the first one and all but
 * one get 21422. Each record starts at its own place in the list, derived
 * from its purchase token, so its order is stable across retries.
 */
export function candidateOrder<T>(found: readonly T[], token: string): T[] {
  if (found.length === 0) return [];
  let hash = 0;
  for (const ch of token) hash = (hash * 31 + ch.charCodeAt(0)) >>> 0;
  const start = hash % found.length;
  return [...found.slice(start), ...found.slice(0, start)];
}

export type PurchaseFailureKind =
  /** this number went to someone else: try another one from the search */
  | 'next_candidate'
  /** nothing (left) for sale here: try the next area code */
  | 'next_area_code'
  /** 429, 5xx, network failure or timeout: retried in the step, then the job backs off and runs again */
  | 'retry'
  /** Twilio refused for good (bad credentials, account suspended, invalid request) */
  | 'permanent';

export function classifyPurchaseFailure(error: unknown): PurchaseFailureKind {
  if (!(error instanceof TelephonyError)) return 'retry'; // the store or Redis hiccuped: worth another attempt
  if (error.code === NUMBER_NOT_AVAILABLE) return 'next_candidate';
  if (error.code === NO_NUMBERS_IN_AREA_CODE) return 'next_area_code';
  return error.retryable ? 'retry' : 'permanent';
}
