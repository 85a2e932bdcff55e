import { TelephonyError } from '@maskline/telephony';
import { AppError } from '../common/http/app-errors';

/** 503: a real Twilio account without an outreach sender; the rest of the service runs. */
export class OutreachNotConfiguredError extends AppError {
  readonly status = 503;
  readonly code = 'outreach_not_configured';
  constructor(practiceId?: string) {
    super(
      practiceId
        ? `No outreach sender for practice ${practiceId}: set OUTREACH_PROXY_NUMBER, or this practice in OUTREACH_PROXY_NUMBERS`
        : 'Outreach is not configured: set OUTREACH_PROXY_NUMBER (or OUTREACH_PROXY_NUMBERS) to the Twilio number conversations use',
      { variable: 'OUTREACH_PROXY_NUMBER' },
    );
  }
}

/**
 * Twilio failed during the request: 503 (retry later) when it may pass, 502
 * when Twilio refused. Nothing was written; a conversation this request
 * created has been deleted (or queued for deletion).
 */
export class TwilioRequestFailedError extends AppError {
  readonly status: number;
  readonly code: string;
  constructor(message: string, error: unknown) {
    const twilio = error instanceof TelephonyError ? error : null;
    const retryable = !twilio || twilio.retryable;
    super(`${message}: ${twilio?.message ?? (error as Error).message}`, { twilio_code: twilio?.code ?? null });
    this.status = retryable ? 503 : 502;
    this.code = retryable ? 'twilio_unavailable' : 'twilio_error';
    if (retryable) this.headers['Retry-After'] = '5';
  }
}
