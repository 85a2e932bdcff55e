import twilio from 'twilio';
import type RequestClient from 'twilio/lib/base/RequestClient';
import { parseRetryAfter } from './twilio-error.mapper';

/**
 * `https://<product>[.<edge>.<region>].twilio.com/<path>` becomes
 * `<baseUrl>/<product>/<path>`; any other URI (already rerouted, or not
 * Twilio's) is left alone.
 */
export function rerouteTwilioUri(uri: string, baseUrl: string): string {
  const url = new URL(uri);
  if (url.protocol !== 'https:' || !url.hostname.endsWith('.twilio.com')) return uri;
  const product = url.hostname.split('.')[0];
  return `${baseUrl.replace(/\/+$/, '')}/${product}${url.pathname}${url.search}`;
}

export interface ReroutingClientOptions {
  /** unset: requests go to Twilio itself */
  baseUrl?: string;
  timeoutMs: number;
}

/**
 * twilio-node has no base-URL option, so the app's Twilio traffic goes
 * through this http client: it rewrites every request URI, including the
 * absolute next-page URLs the SDK follows during list() calls. With a custom
 * httpClient the SDK ignores its own client-level timeout/autoRetry, hence
 * both are set here; retries are the caller's business (queues with backoff).
 * The SDK's RestException drops the answer's headers, so a failure carrying
 * Retry-After is raised here, with the wait attached, for callers to honour.
 */
export class ReroutingRequestClient extends twilio.RequestClient {
  private readonly baseUrl?: string;

  constructor(options: ReroutingClientOptions) {
    super({ timeout: options.timeoutMs, autoRetry: false });
    this.baseUrl = options.baseUrl;
  }

  override async request<TData>(opts: RequestClient.RequestOptions<TData>) {
    const response = await super.request<TData>(this.baseUrl ? { ...opts, uri: rerouteTwilioUri(opts.uri, this.baseUrl) } : opts);
    const retryAfterMs = response.statusCode >= 400 ? parseRetryAfter(response.headers?.['retry-after']) : null;
    if (retryAfterMs !== null) throw Object.assign(new twilio.RestException(response), { retryAfterMs });
    return response;
  }
}
