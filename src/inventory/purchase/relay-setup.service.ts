import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { AppConfig, ConfigError } from '@maskline/config';
import { Lifecycle } from '@maskline/store';
import { NumberWebhooks, OwnedNumber, TelephonyError, TelephonyGateway } from '@maskline/telephony';
import { ProxyServiceRef } from './proxy-service-ref';

/** Twilio: the number is already a sender of this Messaging Service (a re-run after the join). */
export const ALREADY_IN_MESSAGING_SERVICE = 21710;

/** Twilio Proxy: the number is already in this service (a re-run after the join). */
export const ALREADY_IN_PROXY_SERVICE = 80104;

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
    private readonly proxyService: ProxyServiceRef,
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
    await this.joinProxyService(owned.sid, lifecycle);
    return 'proxy_service_joined';
  }

  /**
   * Pool numbers unreserved (Proxy may hand them out), reserved and standby
   * numbers reserved. A number already in the service (a re-run of this job,
   * or one added by hand) is success, and gets the flag its lifecycle needs.
   */
  async joinProxyService(numberSid: string, lifecycle: Lifecycle): Promise<void> {
    const serviceSid = this.proxyService.sid;
    const isReserved = lifecycle !== 'pool';
    try {
      await this.telephony.addNumberToProxyService(serviceSid, numberSid, isReserved);
    } catch (error) {
      if (!(error instanceof TelephonyError && error.code === ALREADY_IN_PROXY_SERVICE)) throw error;
      await this.telephony.setProxyNumberReserved(serviceSid, numberSid, isReserved);
    }
  }
}

/**
 * US carriers deliver texts from a local number only when it is a sender of
 * an A2P 10DLC-registered Messaging Service (else 30034): with
 * TWILIO_MESSAGING_SERVICE_SID set, every bought number joins it before it is
 * ready. Start-up checks once that the service exists: a wrong sid would
 * otherwise fail every purchase, one by one.
 */
@Injectable()
export class MessagingServiceMembership implements OnModuleInit {
  private readonly logger = new Logger(MessagingServiceMembership.name);

  constructor(
    private readonly config: AppConfig,
    private readonly telephony: TelephonyGateway,
  ) {}

  get serviceSid(): string | undefined {
    return this.config.twilio.messagingServiceSid;
  }

  async onModuleInit(): Promise<void> {
    const sid = this.serviceSid;
    if (!sid) return;
    let found;
    try {
      found = await this.telephony.findMessagingService(sid);
    } catch (error) {
      // Twilio not answering is not a wrong sid: the purchases' own retries will meet it
      this.logger.warn(`Messaging Service ${sid} could not be checked at start-up: ${(error as Error).message}`);
      return;
    }
    if (!found) throw new ConfigError('TWILIO_MESSAGING_SERVICE_SID', `Invalid configuration: TWILIO_MESSAGING_SERVICE_SID names no Messaging Service of this Twilio account (${sid})`);
    this.logger.log(`Bought numbers join the Messaging Service ${sid} (${found.friendlyName})`);
  }

  /** idempotent: 21710 (already in this service) is success; null when no service is configured */
  async join(owned: OwnedNumber): Promise<'joined' | 'already_member' | null> {
    const sid = this.serviceSid;
    if (!sid) return null;
    try {
      await this.telephony.addNumberToMessagingService(sid, owned.sid);
      return 'joined';
    } catch (error) {
      if (error instanceof TelephonyError && error.code === ALREADY_IN_MESSAGING_SERVICE) return 'already_member';
      throw error;
    }
  }
}
