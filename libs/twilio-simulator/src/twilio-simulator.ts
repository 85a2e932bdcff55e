import { setTimeout as sleep } from 'node:timers/promises';
import Fastify, { FastifyInstance } from 'fastify';
import { registerMessageRoutes } from './api2010/messages.routes';
import { registerNumberRoutes } from './api2010/numbers.routes';
import { registerControlRoutes } from './control/control.routes';
import { registerMessagingRoutes } from './messaging/messaging.routes';
import { registerConversationRoutes } from './conversations/conversations.routes';
import { FaultInjector, FaultSpec, TimeoutAfterEffectSpec } from './faults/fault-injector';
import { SimOperationPattern } from './faults/operations';
import { TwilioApiError, TwilioErrors } from './http/twilio-api-error';
import { RestCallRecord, TwilioProduct, TwilioRouter } from './http/twilio-router';
import { ProxyFlow, ProxyInboundOutcome } from './proxy/proxy-flow';
import { registerProxyRoutes } from './proxy/proxy.routes';
import { ConversationParticipantRecord, ConversationRecord, ConversationState } from './state/conversation-state';
import { MessageLog, MessageRecord } from './state/message-log';
import { MessagingServiceNumberRecord, MessagingServiceRecord, MessagingServices } from './state/messaging-services';
import { NumberBook, NumberSettings, OwnedNumberRecord, PurchaseRecord } from './state/number-book';
import { NumberStock } from './state/number-stock';
import {
  ProxyInteractionRecord,
  ProxyNumberRecord,
  ProxyParticipantRecord,
  ProxyServiceRecord,
  ProxySessionRecord,
  ProxyState,
} from './state/proxy-state';
import { InboundSmsInput, inboundSmsParams, InboundSmsRecord } from './webhooks/inbound-sms';
import { SignedWebhookClient, WebhookAnswer, WebhookDelivery } from './webhooks/signed-webhook-client';
import { DeliveryOutcome, StatusCallbackDispatcher } from './webhooks/status-callbacks';

export interface TwilioSimulatorOptions {
  accountSid: string;
  authToken: string;
  /** interface to listen on; default 127.0.0.1 */
  host?: string;
  /** pause before each status callback of a sent message; default 25 ms */
  statusCallbackStepMs?: number;
  /** how long a webhook waits for the app's answer; default 15 s, Twilio's own limit */
  webhookTimeoutMs?: number;
}

export interface ProxyView {
  services: readonly ProxyServiceRecord[];
  numbers: readonly ProxyNumberRecord[];
  sessions: readonly ProxySessionRecord[];
  participants: readonly ProxyParticipantRecord[];
  interactions: readonly ProxyInteractionRecord[];
  /** what happened to each text to a Proxy number (through a session, out of session, blocked...) */
  inbound: readonly ProxyInboundOutcome[];
}

/**
 * A local Twilio: a real HTTP server answering the REST shapes the official
 * SDK expects, under `/<product>/...` (`/api/2010-04-01/...`, `/proxy/v1/...`,
 * `/conversations/v1/...`), with basic auth on the account credentials,
 * in-memory state, injectable faults, and signed webhooks back to the app.
 * A small JSON control surface lives under `/_sim/*`.
 */
export class TwilioSimulator {
  readonly accountSid: string;
  private readonly authToken: string;
  private readonly host: string;
  private readonly stock = new NumberStock();
  private readonly numbers = new NumberBook(this.stock);
  private readonly messageLog = new MessageLog(this.numbers);
  private readonly proxyState = new ProxyState(this.numbers, this.messageLog);
  private readonly conversationState = new ConversationState();
  private readonly messagingServices = new MessagingServices(this.numbers);
  private readonly faults = new FaultInjector();
  private readonly webhooks: SignedWebhookClient;
  private readonly statusCallbacks: StatusCallbackDispatcher;
  private readonly proxyFlow: ProxyFlow;
  private readonly inbound: InboundSmsRecord[] = [];
  private readonly calls: RestCallRecord[] = [];
  private server: FastifyInstance | null = null;
  private url: string | null = null;

  constructor(options: TwilioSimulatorOptions) {
    this.accountSid = options.accountSid;
    this.authToken = options.authToken;
    this.host = options.host ?? '127.0.0.1';
    this.webhooks = new SignedWebhookClient(options.authToken, options.webhookTimeoutMs ?? 15_000);
    this.statusCallbacks = new StatusCallbackDispatcher(this.webhooks, options.accountSid, options.statusCallbackStepMs ?? 25);
    this.statusCallbacks.blocksSender = (from) => this.messagingServices.blocksSender(from);
    this.proxyFlow = new ProxyFlow(this.proxyState, this.messageLog, this.webhooks, options.accountSid);
  }

  // --- lifecycle ---

  /** Starts listening (port 0: any free port) and answers the base URL, e.g. http://127.0.0.1:41234. */
  async start(port = 0): Promise<string> {
    if (this.url) return this.url;
    const server = Fastify({ logger: false, forceCloseConnections: true });
    this.configure(server);
    await server.listen({ port, host: this.host });
    const address = server.server.address();
    if (address === null || typeof address === 'string') throw new Error('Twilio simulator did not bind a TCP port');
    this.server = server;
    this.url = `http://${this.host}:${address.port}`;
    return this.url;
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = null;
    this.url = null;
    this.faults.releaseHeld();
    this.statusCallbacks.reset();
    await server?.close();
  }

  get baseUrl(): string {
    if (!this.url) throw new Error('Twilio simulator is not started');
    return this.url;
  }

  /** Forgets everything: numbers, purchases, messages, proxy and conversations state, faults, outcomes. */
  reset(): void {
    this.faults.clear();
    this.faults.releaseHeld();
    this.statusCallbacks.reset();
    this.webhooks.reset();
    this.stock.reset();
    this.numbers.reset();
    this.messageLog.reset();
    this.proxyState.reset();
    this.conversationState.reset();
    this.messagingServices.reset();
    this.inbound.length = 0;
    this.calls.length = 0;
    this.proxyFlow.outcomes.length = 0;
  }

  // --- state, read by tests ---

  get ownedNumbers(): readonly OwnedNumberRecord[] {
    return this.numbers.owned;
  }
  /** every successful number purchase, in order */
  get purchases(): readonly PurchaseRecord[] {
    return this.numbers.purchases;
  }
  /** every outbound message (Messages create and Proxy interactions), oldest first */
  get messages(): readonly MessageRecord[] {
    return this.messageLog.messages;
  }
  /** every REST request the app made, oldest first, as sent */
  get restCalls(): readonly RestCallRecord[] {
    return this.calls;
  }
  get inboundMessages(): readonly InboundSmsRecord[] {
    return this.inbound;
  }
  /** every webhook sent to the app (inbound SMS and status callbacks) with the app's answer */
  get webhookDeliveries(): readonly WebhookDelivery[] {
    return this.webhooks.deliveries;
  }
  get proxy(): ProxyView {
    const { services, numbers, sessions, participants, interactions } = this.proxyState;
    return { services, numbers, sessions, participants, interactions, inbound: this.proxyFlow.outcomes };
  }
  /** Messaging v1 services (A2P 10DLC) and the numbers in each */
  get messaging(): { services: readonly MessagingServiceRecord[]; numbers: readonly MessagingServiceNumberRecord[] } {
    return { services: this.messagingServices.services, numbers: this.messagingServices.senders };
  }
  get conversations(): readonly ConversationRecord[] {
    return this.conversationState.conversations;
  }
  get conversationParticipants(): readonly ConversationParticipantRecord[] {
    return this.conversationState.participants;
  }

  // --- numbers for sale ---

  /** A count generates that many numbers for sale in the area code; a list puts exactly those up. */
  setAvailableNumbers(areaCode: string, countOrList: number | string[]): void {
    this.stock.set(areaCode, countOrList);
  }
  emptyAreaCode(areaCode: string): void {
    this.stock.set(areaCode, []);
  }
  availableNumbers(areaCode: string): readonly string[] {
    return this.stock.forSale(areaCode);
  }

  /** Makes a number owned without going through a purchase (not logged in `purchases`). */
  addOwnedNumber(input: NumberSettings & ({ phoneNumber: string } | { areaCode: string })): OwnedNumberRecord {
    const phoneNumber = 'phoneNumber' in input ? input.phoneNumber : this.stock.forSale(input.areaCode)[0];
    if (!phoneNumber) throw new Error(`No number for sale in area code ${'areaCode' in input ? input.areaCode : ''}`);
    this.stock.take(phoneNumber);
    return this.numbers.add({ ...input, phoneNumber });
  }

  // --- messaging services ---

  /**
   * A Messaging Service (a given sid, or a new one). Once the account has
   * one, texts from numbers in no service fail with 30034, as US carriers do.
   */
  addMessagingService(input: { sid?: string; friendlyName?: string } = {}): MessagingServiceRecord {
    return this.messagingServices.create(input);
  }

  // --- faults ---

  /** The next `times` (default 1) calls of the operation answer this Twilio error. */
  injectFault(op: SimOperationPattern, fault: FaultSpec): void {
    this.faults.injectFault(op, fault);
  }
  /** The next `times` calls (unset: all) are slowed by `ms` before they act. */
  injectLatency(op: SimOperationPattern, ms: number, times?: number): void {
    this.faults.injectLatency(op, ms, times);
  }
  /** The operation takes effect, then its answer is held for `delayMs` so the caller times out. */
  injectTimeoutAfterEffect(op: SimOperationPattern, spec: TimeoutAfterEffectSpec = {}): void {
    this.faults.injectTimeoutAfterEffect(op, spec);
  }
  clearFaults(): void {
    this.faults.clear();
  }

  // --- webhooks to the app ---

  /**
   * A text to the owned number `to`: when the number is in a Proxy service,
   * Proxy handles it (intercept or out-of-session callback, see ProxyFlow);
   * otherwise the signed incoming-message webhook goes to its SmsUrl.
   * Answers the app's HTTP answer (to the last callback, in Proxy's case).
   */
  async sendInboundSms(input: InboundSmsInput): Promise<WebhookAnswer & { messageSid: string }> {
    const number = this.numbers.findByPhone(input.to);
    if (!number) throw new Error('sendInboundSms: the "to" number is not owned by the simulated account');
    const inProxy = this.proxyState.numberInService(input.to);
    if (!number.smsUrl && !inProxy) throw new Error('sendInboundSms: the "to" number has no SmsUrl configured and is in no Proxy service');
    const { messageSid, params } = inboundSmsParams(this.accountSid, input);
    const record: InboundSmsRecord = { messageSid, from: input.from, to: input.to, body: input.body, mediaUrls: input.mediaUrls ?? [], url: number.smsUrl ?? '', method: number.smsMethod, params };
    this.inbound.push(record);
    return { ...(await this.deliverInbound(record)), messageSid };
  }

  /** Delivers an inbound message again, same MessageSid and fields: Twilio's retry after a failed or slow answer. */
  async redeliverInboundSms(messageSid: string): Promise<WebhookAnswer> {
    const record = this.inbound.find((m) => m.messageSid === messageSid);
    if (!record) throw new Error(`redeliverInboundSms: no inbound message ${messageSid}`);
    return this.deliverInbound(record);
  }

  /**
   * Twilio retrying Proxy's callbacks for one inbound text (same parameters,
   * fresh signature): the out-of-session and intercept callbacks it caused
   * are posted again, and their answers returned; Proxy acts on none of them
   * a second time.
   */
  async redeliverProxyCallbacks(messageSid: string): Promise<WebhookAnswer[]> {
    const earlier = this.webhooks.deliveries.filter(
      (d) => (d.kind === 'proxy-out-of-session' && d.params.MessageSid === messageSid) || (d.kind === 'proxy-intercept' && d.params.inboundResourceSid === messageSid),
    );
    if (earlier.length === 0) throw new Error(`redeliverProxyCallbacks: no Proxy callback was sent for ${messageSid}`);
    const answers: WebhookAnswer[] = [];
    for (const d of earlier) answers.push(await this.webhooks.deliver(d.kind, d.url, d.params, d.method));
    return answers;
  }

  /** Messages to this phone end `undelivered`/`failed` with the error code instead of `delivered` (the next `times` only, when given). */
  setDeliveryOutcome(toPhone: string, outcome: DeliveryOutcome): void {
    this.statusCallbacks.setOutcome(toPhone, outcome);
  }

  /** Polls until the predicate holds (e.g. `s => s.messages.length === 2`); throws after timeoutMs. */
  async waitFor(predicate: (sim: this) => boolean, timeoutMs = 5_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!predicate(this)) {
      if (Date.now() > deadline) throw new Error(`TwilioSimulator.waitFor: condition not met within ${timeoutMs} ms`);
      await sleep(10);
    }
  }

  private deliverInbound(record: InboundSmsRecord): Promise<WebhookAnswer> {
    const inProxy = this.proxyState.numberInService(record.to);
    if (inProxy) return this.proxyFlow.inbound(record, inProxy);
    return this.webhooks.deliver('inbound-sms', record.url, record.params, record.method);
  }

  private configure(server: FastifyInstance): void {
    // twilio-node posts form bodies; URLSearchParams keeps repeated (MediaUrl) and dotted keys as sent
    server.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_req, body, done) => done(null, new URLSearchParams(body as string)));
    server.addHook('onRequest', async (req) => {
      if (!req.url.startsWith('/_sim') && !this.authorized(req.headers.authorization)) throw TwilioErrors.authenticate();
    });
    server.setErrorHandler((error: unknown, req, reply) => {
      if (error instanceof TwilioApiError) {
        if (error.retryAfterSeconds !== undefined) reply.header('Retry-After', String(error.retryAfterSeconds));
        return reply.code(error.status).send(error.toBody());
      }
      const status = (error as { statusCode?: number }).statusCode ?? 500;
      const message = error instanceof Error ? error.message : 'Internal Server Error';
      if (req.url.startsWith('/_sim')) return reply.code(status).send({ error: message });
      return reply.code(status).send(new TwilioApiError(status, status === 500 ? 20500 : 20001, message).toBody());
    });
    server.setNotFoundHandler((req, reply) => reply.code(404).send(TwilioErrors.notFound(req.url.split('?')[0]).toBody()));

    const router = (product: TwilioProduct) => new TwilioRouter(server, this.faults, product, this.accountSid, (call) => this.calls.push(call));
    const api = router('api');
    registerNumberRoutes(api, this.numbers, this.stock, this.accountSid);
    registerMessageRoutes(api, this.messageLog, this.accountSid, (message) => this.statusCallbacks.dispatch(message));
    registerProxyRoutes(router('proxy'), this.proxyState, this.proxyFlow, this.accountSid);
    registerConversationRoutes(router('conversations'), this.conversationState, this.accountSid);
    registerMessagingRoutes(router('messaging'), this.messagingServices, this.accountSid);
    registerControlRoutes(server, this);
  }

  private authorized(header: string | undefined): boolean {
    if (!header?.startsWith('Basic ')) return false;
    const decoded = Buffer.from(header.slice(6), 'base64').toString('utf8');
    const separator = decoded.indexOf(':');
    return decoded.slice(0, separator) === this.accountSid && decoded.slice(separator + 1) === this.authToken;
  }
}
