/** Airtable answered 5xx, timed out or could not be reached, after the retries the call allowed. */
export class AirtableUnavailableError extends Error {
  constructor(
    readonly operation: string,
    readonly cause: unknown,
  ) {
    super(`Airtable unavailable during ${operation}: ${describe(cause)}`);
    this.name = 'AirtableUnavailableError';
  }
}

/** Airtable refused the request (4xx other than 429): retrying the same request cannot help. */
export class AirtableRequestError extends Error {
  constructor(
    readonly operation: string,
    readonly status: number,
    readonly type: string,
    detail: string,
  ) {
    super(`Airtable refused ${operation}: ${status} ${type} ${detail}`);
    this.name = 'AirtableRequestError';
  }
}

/** The shape airtable.js rejects with (lib/airtable_error.js). */
interface SdkError {
  error?: string;
  message?: string;
  statusCode?: number | null;
}

export type Outcome = 'rate-limited' | 'transient' | 'permanent';

/**
 * 429 → rate-limited; 5xx, timeouts and connection errors → transient (the
 * write may or may not have landed); anything else → permanent.
 */
export function classify(err: unknown): Outcome {
  const status = (err as SdkError)?.statusCode;
  if (status === 429) return 'rate-limited';
  if (!status || status >= 500) return 'transient';
  return 'permanent';
}

export function toRequestError(operation: string, err: unknown): AirtableRequestError {
  const e = err as SdkError;
  return new AirtableRequestError(operation, e.statusCode ?? 0, e.error ?? 'UNKNOWN', e.message ?? '');
}

export function describe(err: unknown): string {
  const e = err as SdkError;
  if (e && typeof e === 'object' && 'error' in e) return `${e.statusCode ?? 'no status'} ${e.error}`;
  return err instanceof Error ? err.message : String(err);
}
