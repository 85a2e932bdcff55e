/**
 * The telephony port: every Twilio operation the product needs, in the
 * product's words. The real adapter (twilio SDK) implements it; with
 * TWILIO_BASE_URL or in embedded mode, the same adapter talks to the
 * simulator, so tests run the production code path.
 */

/** A Twilio REST failure, carrying Twilio's error code (21452, 20429, 50416...) and HTTP status. */
export class TelephonyError extends Error {
  constructor(
    message: string,
    readonly code: number | null,
    readonly status: number | null,
    /** network error or timeout: the request may or may not have taken effect */
    readonly uncertain = false,
    /** how long Twilio asked us to wait before trying again (its Retry-After header), when it said */
    readonly retryAfterMs: number | null = null,
  ) {
    super(message);
    this.name = 'TelephonyError';
  }
  /** worth retrying later: 429, 5xx, network errors and timeouts */
  get retryable(): boolean {
    return this.uncertain || this.status === 429 || this.code === 20429 || (this.status !== null && this.status >= 500);
  }
}

export interface AvailableNumber {
  phoneNumber: string;
  locality: string | null;
  region: string | null;
}
export interface OwnedNumber {
  sid: string;
  phoneNumber: string;
  friendlyName: string;
  smsUrl: string | null;
  dateCreated: Date;
}
export interface NumberWebhooks {
  smsUrl: string;
  smsMethod?: 'POST' | 'GET';
  statusCallback?: string;
}
export interface SendSmsInput {
  from: string;
  to: string;
  body: string;
  mediaUrls?: string[];
  statusCallback?: string;
}
export interface SentMessage {
  sid: string;
  status: string;
}
/** A message the account sent, as Twilio's Messages list shows it. */
export interface SentMessageRecord extends SentMessage {
  from: string;
  to: string;
  body: string;
  dateCreated: Date;
}
export interface SentMessageFilter {
  from: string;
  to: string;
  /** messages created at or after this instant */
  sentSince: Date;
}

export interface MessagingServiceInfo {
  sid: string;
  friendlyName: string;
}

export interface ProxySessionInput {
  uniqueName?: string;
  ttlSeconds?: number;
}
export interface ProxyParticipantInput {
  identifier: string;
  friendlyName?: string;
  proxyIdentifier?: string;
}
export interface ProxyServiceInput {
  uniqueName: string;
  defaultTtlSeconds: number;
  interceptCallbackUrl: string;
  outOfSessionCallbackUrl: string;
  callbackUrl?: string;
}
export interface ProxyServiceInfo {
  sid: string;
  uniqueName: string | null;
  interceptCallbackUrl: string | null;
  outOfSessionCallbackUrl: string | null;
}
export interface ProxySessionInfo {
  sid: string;
  uniqueName: string | null;
  /** Twilio's session status (open, in-progress, closed, failed, unknown) */
  status: string;
}
export interface ProxyParticipantInfo {
  sid: string;
  identifier: string;
  proxyIdentifier: string | null;
}
export interface ProxyInteractionInfo {
  sid: string;
  /** the message body, from the interaction's data */
  body: string;
  dateCreated: Date;
}
export interface ConversationInfo {
  sid: string;
  friendlyName: string | null;
}

export abstract class TelephonyGateway {
  // --- numbers ---
  abstract searchLocalNumbers(areaCode: string, limit: number): Promise<AvailableNumber[]>;
  abstract buyNumber(phoneNumber: string, friendlyName: string, webhooks?: NumberWebhooks): Promise<OwnedNumber>;
  /**
   * Buys any local number in the area code (one call: Twilio picks the number).
   * Throws TelephonyError 21452 when the area code has nothing for sale.
   * This default searches then buys; adapters override it with the single call.
   */
  async buyNumberInAreaCode(areaCode: string, friendlyName: string, webhooks?: NumberWebhooks): Promise<OwnedNumber> {
    const [available] = await this.searchLocalNumbers(areaCode, 1);
    if (!available) throw new TelephonyError(`No phone numbers found in area code ${areaCode}`, 21452, 400);
    return this.buyNumber(available.phoneNumber, friendlyName, webhooks);
  }
  abstract listOwnedNumbers(filter: { friendlyName?: string; phoneNumber?: string }): Promise<OwnedNumber[]>;
  abstract configureNumber(sid: string, webhooks: NumberWebhooks): Promise<OwnedNumber>;
  abstract releaseNumber(sid: string): Promise<void>;
  // --- messaging ---
  abstract sendSms(input: SendSmsInput): Promise<SentMessage>;
  /** what the account sent from one number to another since an instant, newest first, queued messages included */
  abstract listSentMessages(filter: SentMessageFilter): Promise<SentMessageRecord[]>;
  // --- messaging services (A2P 10DLC) ---
  /** the Messaging Service, or null when the account has none with this sid */
  abstract findMessagingService(serviceSid: string): Promise<MessagingServiceInfo | null>;
  /** adds an owned number (PN sid) as a sender; Twilio answers 21710 when it is already in this service */
  abstract addNumberToMessagingService(serviceSid: string, numberSid: string): Promise<{ sid: string }>;
  /** not a sender of the service already counts as removed */
  abstract removeNumberFromMessagingService(serviceSid: string, numberSid: string): Promise<void>;
  // --- proxy (accounts that still run a Proxy service) ---
  /** the Proxy service, or null when the account has none with this sid */
  abstract findProxyService(serviceSid: string): Promise<ProxyServiceInfo | null>;
  abstract createProxyService(input: ProxyServiceInput): Promise<ProxyServiceInfo>;
  /** throws TelephonyError 80104 when the number is already in this service */
  abstract addNumberToProxyService(serviceSid: string, numberSid: string, isReserved: boolean): Promise<{ sid: string }>;
  abstract setProxyNumberReserved(serviceSid: string, numberSid: string, isReserved: boolean): Promise<void>;
  /** not in the service already counts as removed */
  abstract removeNumberFromProxyService(serviceSid: string, numberSid: string): Promise<void>;
  /** the session, or null when it is gone */
  abstract findProxySession(serviceSid: string, sessionSid: string): Promise<ProxySessionInfo | null>;
  abstract listProxyParticipants(serviceSid: string, sessionSid: string): Promise<ProxyParticipantInfo[]>;
  /** closed or gone already counts as closed */
  abstract closeProxySession(serviceSid: string, sessionSid: string): Promise<void>;
  abstract createProxySession(serviceSid: string, input: ProxySessionInput): Promise<{ sid: string }>;
  abstract addProxyParticipant(serviceSid: string, sessionSid: string, input: ProxyParticipantInput): Promise<{ sid: string; proxyIdentifier: string | null }>;
  /** the Message Interactions sent to a participant, newest first (one page: enough for a conversation's recent sends) */
  abstract listMessageInteractions(serviceSid: string, sessionSid: string, participantSid: string): Promise<ProxyInteractionInfo[]>;
  abstract createMessageInteraction(serviceSid: string, sessionSid: string, participantSid: string, body: string, mediaUrls?: string[]): Promise<{ sid: string }>;
  // --- conversations (outreach) ---
  abstract createConversation(friendlyName: string): Promise<ConversationInfo>;
  /** throws TelephonyError code 50416 when the address+proxyAddress pair is already bound */
  abstract addSmsParticipant(conversationSid: string, address: string, proxyAddress: string): Promise<{ sid: string }>;
  /** gone already counts as deleted */
  abstract deleteConversation(conversationSid: string): Promise<void>;
  /** sets the state to `closed` (final in Twilio), which frees its SMS bindings; closed or gone already counts as done */
  abstract closeConversation(conversationSid: string): Promise<void>;
  /** the conversation, not closed, this address is bound in (via participant conversations; through `proxyAddress` when given), if any */
  abstract findConversationByAddress(address: string, proxyAddress?: string): Promise<ConversationInfo | null>;
}
