import { randomUUID } from 'node:crypto';
import twilio from 'twilio';

export type WebhookKind = 'inbound-sms' | 'status-callback' | 'proxy-intercept' | 'proxy-out-of-session';

/** One webhook the simulator sent to the app, and what the app answered. */
export interface WebhookDelivery {
  kind: WebhookKind;
  url: string;
  method: 'POST' | 'GET';
  params: Record<string, string>;
  /** the app's HTTP status; null when the request failed (connection refused, timeout) */
  status: number | null;
  error: string | null;
  at: Date;
}

export interface WebhookAnswer {
  status: number;
  body: string;
  /** the answer's Content-Type ('' when none) */
  contentType: string;
}

/**
 * Sends webhooks the way Twilio does: form-encoded, with the
 * X-Twilio-Signature computed by the official SDK helper over the URL and
 * the sorted parameters (for GET, over the full URL with its query).
 */
export class SignedWebhookClient {
  readonly deliveries: WebhookDelivery[] = [];

  constructor(
    private readonly authToken: string,
    private readonly timeoutMs: number,
  ) {}

  async deliver(kind: WebhookKind, url: string, params: Record<string, string>, method: 'POST' | 'GET' = 'POST'): Promise<WebhookAnswer> {
    const form = new URLSearchParams(params).toString();
    const target = method === 'GET' ? `${url}${url.includes('?') ? '&' : '?'}${form}` : url;
    const headers: Record<string, string> = {
      'X-Twilio-Signature': twilio.getExpectedTwilioSignature(this.authToken, target, method === 'GET' ? {} : params),
      'I-Twilio-Idempotency-Token': randomUUID(),
      'User-Agent': 'TwilioProxy/1.1',
    };
    if (method === 'POST') headers['Content-Type'] = 'application/x-www-form-urlencoded';
    const delivery: WebhookDelivery = { kind, url, method, params, status: null, error: null, at: new Date() };
    this.deliveries.push(delivery);
    try {
      const response = await fetch(target, { method, headers, body: method === 'POST' ? form : undefined, signal: AbortSignal.timeout(this.timeoutMs) });
      delivery.status = response.status;
      return { status: response.status, body: await response.text(), contentType: response.headers.get('content-type') ?? '' };
    } catch (error) {
      delivery.error = error instanceof Error ? error.message : String(error);
      throw error;
    }
  }

  reset(): void {
    this.deliveries.length = 0;
  }
}
