import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { AppConfig, ConfigError } from '@maskline/config';
import { RedisService } from '@maskline/redis';
import { TelephonyGateway } from '@maskline/telephony';

/** Proxy's callbacks, relative to PUBLIC_BASE_URL: set these on the Proxy service (docs/twilio.md). */
export const PROXY_INTERCEPT_PATH = '/intercept';
export const PROXY_OUT_OF_SESSION_PATH = '/out-of-session';

/** the simulator's own Proxy service, shared by every process of one deployment (one Redis prefix) */
const SIMULATED_SERVICE_KEY = 'proxy:simulated-service-sid';

/**
 * The Proxy service of RELAY_MODE=proxy, resolved once at start-up. With a
 * Twilio account it is TWILIO_PROXY_SERVICE_SID, checked to exist (a wrong
 * sid would otherwise fail every purchase and every relayed text, one by
 * one). On the simulator the service creates one of its own, with our
 * callback URLs, and every process of the deployment uses that one.
 * Inert in messaging mode.
 */
@Injectable()
export class ProxyServiceRef implements OnModuleInit {
  private readonly logger = new Logger(ProxyServiceRef.name);
  private resolved?: string;

  constructor(
    private readonly config: AppConfig,
    private readonly telephony: TelephonyGateway,
    private readonly redis: RedisService,
  ) {}

  get enabled(): boolean {
    return this.config.twilio.relayMode === 'proxy';
  }

  /** the KS sid; only in proxy mode, after start-up */
  get sid(): string {
    if (!this.resolved) throw new Error('The Proxy service is used only with RELAY_MODE=proxy, once start-up has resolved it');
    return this.resolved;
  }

  async onModuleInit(): Promise<void> {
    if (!this.enabled) return;
    const configured = this.config.twilio.proxyServiceSid;
    this.resolved = configured ? await this.check(configured) : await this.simulatedService();
  }

  private async check(sid: string): Promise<string> {
    let found;
    try {
      found = await this.telephony.findProxyService(sid);
    } catch (error) {
      // Twilio not answering is not a wrong sid: relayed texts and purchases retry on their own
      this.logger.warn(`Proxy service ${sid} could not be checked at start-up: ${(error as Error).message}`);
      return sid;
    }
    if (!found) throw new ConfigError('TWILIO_PROXY_SERVICE_SID', `Invalid configuration: TWILIO_PROXY_SERVICE_SID names no Proxy service of this Twilio account (${sid})`);
    const base = this.config.http.publicBaseUrl;
    if (found.interceptCallbackUrl !== `${base}${PROXY_INTERCEPT_PATH}` || found.outOfSessionCallbackUrl !== `${base}${PROXY_OUT_OF_SESSION_PATH}`) {
      this.logger.warn(`Proxy service ${sid}: set its Intercept Callback URL to ${base}${PROXY_INTERCEPT_PATH} and its Out of Session Callback URL to ${base}${PROXY_OUT_OF_SESSION_PATH} (docs/twilio.md)`);
    }
    return sid;
  }

  private async simulatedService(): Promise<string> {
    const existing = await this.redis.client.get(SIMULATED_SERVICE_KEY);
    if (existing && (await this.telephony.findProxyService(existing))) return existing;
    const base = this.config.http.publicBaseUrl;
    const created = await this.telephony.createProxyService({
      uniqueName: `maskline-${this.config.redis.prefix}`,
      defaultTtlSeconds: this.config.relay.sessionTtlDays * 86_400,
      interceptCallbackUrl: `${base}${PROXY_INTERCEPT_PATH}`,
      outOfSessionCallbackUrl: `${base}${PROXY_OUT_OF_SESSION_PATH}`,
    });
    // two processes starting at once: the first one's service wins, the other's stays unused
    await this.redis.client.set(SIMULATED_SERVICE_KEY, created.sid, 'NX');
    const winner = (await this.redis.client.get(SIMULATED_SERVICE_KEY)) ?? created.sid;
    this.logger.log(`RELAY_MODE=proxy on the simulator: using its Proxy service ${winner}`);
    return winner;
  }
}
