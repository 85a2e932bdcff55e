import { Injectable } from '@nestjs/common';
import { AppConfig } from '@maskline/config';
import { Lifecycle } from '@maskline/store';
import { NumberWebhooks, OwnedNumber, TelephonyError, TelephonyGateway } from '@maskline/telephony';

/** Where Twilio posts inbound SMS for every number the service owns (the relay's webhook). */
export const RELAY_SMS_WEBHOOK_PATH = '/intercept';

/**
 * Makes a bought number part of the relay, the server-side replacement of the
 * old "Zap 3 verification": in messaging mode its SMS webhook points at the
 * relay; in Proxy mode it joins the Proxy service (pool numbers unreserved so
 * Proxy may hand them out, reserved and standby numbers reserved).
 */
@Injectable()
export class RelaySetupService {
  constructor(
    private readonly config: AppConfig,
    private readonly telephony: TelephonyGateway,
  ) {}

  /** webhooks set in the purchase call itself (messaging mode), so most numbers need no second call */
  purchaseWebhooks(): NumberWebhooks | undefined {
    if (this.config.twilio.relayMode === 'proxy') return undefined;
    return { smsUrl: `${this.config.http.publicBaseUrl}${RELAY_SMS_WEBHOOK_PATH}`, smsMethod: 'POST' };
  }

  /** idempotent: safe on a number adopted after a crash, whatever step it reached; answers the verification result */
  async configure(owned: OwnedNumber, lifecycle: Lifecycle): Promise<string> {
    const webhooks = this.purchaseWebhooks();
    if (webhooks) {
      if (owned.smsUrl !== webhooks.smsUrl) await this.telephony.configureNumber(owned.sid, webhooks);
      return 'sms_webhook_set';
    }
    const serviceSid = this.config.twilio.proxyServiceSid!;
    try {
      await this.telephony.addNumberToProxyService(serviceSid, owned.sid, lifecycle !== 'pool');
    } catch (error) {
      // 409: a previous run of this job already added it before dying
      if (!(error instanceof TelephonyError && error.status === 409)) throw error;
    }
    return 'proxy_service_joined';
  }
}
