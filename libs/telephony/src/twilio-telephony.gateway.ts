import twilio from 'twilio';
import type { IncomingPhoneNumberInstance } from 'twilio/lib/rest/api/v2010/account/incomingPhoneNumber';
import type { MessageInstance } from 'twilio/lib/rest/api/v2010/account/message';
import { ReroutingRequestClient } from './rerouting-request-client';
import {
  AvailableNumber,
  ConversationInfo,
  MessagingServiceInfo,
  NumberWebhooks,
  OwnedNumber,
  ProxyInteractionInfo,
  ProxyParticipantInfo,
  ProxyParticipantInput,
  ProxyServiceInfo,
  ProxyServiceInput,
  ProxySessionInfo,
  ProxySessionInput,
  SendSmsInput,
  SentMessage,
  SentMessageFilter,
  SentMessageRecord,
  TelephonyError,
  TelephonyGateway,
} from './telephony.gateway';
import { toTelephonyError } from './twilio-error.mapper';

export interface TwilioGatewayOptions {
  accountSid: string;
  authToken: string;
  /** reroutes every REST call to `${baseUrl}/<product>/...` (simulator, local Twilio-compatible server); unset: Twilio itself */
  baseUrl?: string;
  timeoutMs: number;
  /** records per page on list calls (Twilio's default is 50) */
  pageSize?: number;
}

function toOwned(n: IncomingPhoneNumberInstance): OwnedNumber {
  return { sid: n.sid, phoneNumber: n.phoneNumber, friendlyName: n.friendlyName, smsUrl: n.smsUrl || null, dateCreated: n.dateCreated };
}

function webhookParams(webhooks?: NumberWebhooks) {
  if (!webhooks) return {};
  const { smsUrl, smsMethod, statusCallback } = webhooks;
  return { smsUrl, ...(smsMethod && { smsMethod }), ...(statusCallback && { statusCallback }) };
}

/** An absent or already-deleted resource: the goal of a release or delete is reached. */
function proxyServiceInfo(service: { sid: string; uniqueName: string; interceptCallbackUrl: string; outOfSessionCallbackUrl: string }): ProxyServiceInfo {
  return { sid: service.sid, uniqueName: service.uniqueName ?? null, interceptCallbackUrl: service.interceptCallbackUrl ?? null, outOfSessionCallbackUrl: service.outOfSessionCallbackUrl ?? null };
}

/** a Message Interaction's `data` is JSON such as {"body": "hello"} */
function interactionBody(data: string | null): string {
  try {
    const parsed = JSON.parse(data ?? '') as { body?: unknown };
    return typeof parsed.body === 'string' ? parsed.body : '';
  } catch {
    return '';
  }
}

function isGone(error: unknown): boolean {
  return error instanceof TelephonyError && error.status === 404;
}

/** Twilio refuses any update of a closed conversation (50377): for a close, the goal is reached. */
const CONVERSATION_CLOSED = 50377;

/** The telephony port on the official twilio SDK. */
/** a bound on one look-up: a pair of numbers never exchanges more than this in the minutes a re-run looks back */
const MAX_MESSAGES_LOOKED_AT = 500;
/** the part of twilio-node's page we use (its Page class types the next page loosely) */
interface MessagesPage {
  instances: MessageInstance[];
  nextPage(): Promise<MessagesPage> | undefined;
}

export class TwilioTelephonyGateway extends TelephonyGateway {
  private readonly client: twilio.Twilio;
  private readonly pageSize: number;

  constructor(options: TwilioGatewayOptions) {
    super();
    this.client = twilio(options.accountSid, options.authToken, {
      httpClient: new ReroutingRequestClient({ baseUrl: options.baseUrl, timeoutMs: options.timeoutMs }),
    });
    this.pageSize = options.pageSize ?? 50;
  }

  // --- numbers ---

  searchLocalNumbers(areaCode: string, limit: number): Promise<AvailableNumber[]> {
    return this.call(async () => {
      const found = await this.client.availablePhoneNumbers('US').local.list({ areaCode: Number(areaCode), smsEnabled: true, voiceEnabled: true, limit });
      return found.map((n) => ({ phoneNumber: n.phoneNumber, locality: n.locality || null, region: n.region || null }));
    });
  }

  buyNumber(phoneNumber: string, friendlyName: string, webhooks?: NumberWebhooks): Promise<OwnedNumber> {
    return this.call(async () => toOwned(await this.client.incomingPhoneNumbers.create({ phoneNumber, friendlyName, ...webhookParams(webhooks) })));
  }

  override buyNumberInAreaCode(areaCode: string, friendlyName: string, webhooks?: NumberWebhooks): Promise<OwnedNumber> {
    return this.call(async () => toOwned(await this.client.incomingPhoneNumbers.create({ areaCode, friendlyName, ...webhookParams(webhooks) })));
  }

  listOwnedNumbers(filter: { friendlyName?: string; phoneNumber?: string }): Promise<OwnedNumber[]> {
    return this.call(async () => {
      const numbers = await this.client.incomingPhoneNumbers.list({
        ...(filter.friendlyName !== undefined && { friendlyName: filter.friendlyName }),
        ...(filter.phoneNumber !== undefined && { phoneNumber: filter.phoneNumber }),
        pageSize: this.pageSize,
      });
      return numbers.map(toOwned);
    });
  }

  configureNumber(sid: string, webhooks: NumberWebhooks): Promise<OwnedNumber> {
    return this.call(async () => toOwned(await this.client.incomingPhoneNumbers(sid).update(webhookParams(webhooks))));
  }

  releaseNumber(sid: string): Promise<void> {
    return this.call(async () => {
      await this.client.incomingPhoneNumbers(sid).remove();
    }).catch((error) => {
      if (!isGone(error)) throw error;
    });
  }

  // --- messaging ---

  sendSms(input: SendSmsInput): Promise<SentMessage> {
    return this.call(async () => {
      const message = await this.client.messages.create({
        from: input.from,
        to: input.to,
        body: input.body,
        ...(input.mediaUrls?.length && { mediaUrl: input.mediaUrls }),
        ...(input.statusCallback && { statusCallback: input.statusCallback }),
      });
      return { sid: message.sid, status: message.status };
    });
  }

  /**
   * Pages From+To newest first and stops at the first message created before
   * `sentSince`. No DateSent filter: a message Twilio accepted but has not
   * sent yet (queued behind the sender's throughput) has no date_sent, and
   * it is exactly the one a re-run must find.
   */
  listSentMessages(filter: SentMessageFilter): Promise<SentMessageRecord[]> {
    return this.call(async () => {
      const found: SentMessageRecord[] = [];
      let page: MessagesPage | undefined = await this.client.messages.page({ from: filter.from, to: filter.to, pageSize: this.pageSize });
      while (page && found.length < MAX_MESSAGES_LOOKED_AT) {
        for (const m of page.instances) {
          if (m.dateCreated.getTime() < filter.sentSince.getTime()) return found;
          found.push({ sid: m.sid, status: m.status, from: m.from, to: m.to, body: m.body, dateCreated: m.dateCreated });
        }
        page = await page.nextPage();
      }
      return found;
    });
  }

  // --- messaging services ---

  findMessagingService(serviceSid: string): Promise<MessagingServiceInfo | null> {
    return this.call(async () => {
      const service = await this.client.messaging.v1.services(serviceSid).fetch();
      return { sid: service.sid, friendlyName: service.friendlyName };
    }).catch((error) => {
      if (isGone(error)) return null;
      throw error;
    });
  }

  addNumberToMessagingService(serviceSid: string, numberSid: string): Promise<{ sid: string }> {
    return this.call(async () => {
      const added = await this.client.messaging.v1.services(serviceSid).phoneNumbers.create({ phoneNumberSid: numberSid });
      return { sid: added.sid };
    });
  }

  removeNumberFromMessagingService(serviceSid: string, numberSid: string): Promise<void> {
    return this.call(async () => {
      await this.client.messaging.v1.services(serviceSid).phoneNumbers(numberSid).remove();
    }).catch((error) => {
      if (!isGone(error)) throw error;
    });
  }

  // --- proxy ---

  findProxyService(serviceSid: string): Promise<ProxyServiceInfo | null> {
    return this.call(async () => proxyServiceInfo(await this.client.proxy.v1.services(serviceSid).fetch())).catch((error) => {
      if (isGone(error)) return null;
      throw error;
    });
  }

  createProxyService(input: ProxyServiceInput): Promise<ProxyServiceInfo> {
    return this.call(async () =>
      proxyServiceInfo(
        await this.client.proxy.v1.services.create({
          uniqueName: input.uniqueName,
          defaultTtl: input.defaultTtlSeconds,
          interceptCallbackUrl: input.interceptCallbackUrl,
          outOfSessionCallbackUrl: input.outOfSessionCallbackUrl,
          ...(input.callbackUrl && { callbackUrl: input.callbackUrl }),
        }),
      ),
    );
  }

  setProxyNumberReserved(serviceSid: string, numberSid: string, isReserved: boolean): Promise<void> {
    return this.call(async () => {
      await this.client.proxy.v1.services(serviceSid).phoneNumbers(numberSid).update({ isReserved });
    });
  }

  removeNumberFromProxyService(serviceSid: string, numberSid: string): Promise<void> {
    return this.call(async () => {
      await this.client.proxy.v1.services(serviceSid).phoneNumbers(numberSid).remove();
    }).catch((error) => {
      if (!isGone(error)) throw error;
    });
  }

  findProxySession(serviceSid: string, sessionSid: string): Promise<ProxySessionInfo | null> {
    return this.call(async () => {
      const session = await this.client.proxy.v1.services(serviceSid).sessions(sessionSid).fetch();
      return { sid: session.sid, uniqueName: session.uniqueName ?? null, status: session.status };
    }).catch((error) => {
      if (isGone(error)) return null;
      throw error;
    });
  }

  listProxyParticipants(serviceSid: string, sessionSid: string): Promise<ProxyParticipantInfo[]> {
    return this.call(async () => {
      // a Proxy session has two participants: one page holds them
      const participants = await this.client.proxy.v1.services(serviceSid).sessions(sessionSid).participants.list({ pageSize: this.pageSize });
      return participants.map((p) => ({ sid: p.sid, identifier: p.identifier, proxyIdentifier: p.proxyIdentifier ?? null }));
    });
  }

  listMessageInteractions(serviceSid: string, sessionSid: string, participantSid: string): Promise<ProxyInteractionInfo[]> {
    return this.call(async () => {
      const interactions = await this.client.proxy.v1.services(serviceSid).sessions(sessionSid).participants(participantSid).messageInteractions.list({ pageSize: this.pageSize, limit: this.pageSize });
      return interactions
        .map((i) => ({ sid: i.sid, body: interactionBody(i.data), dateCreated: new Date(i.dateCreated) }))
        .sort((a, b) => b.dateCreated.getTime() - a.dateCreated.getTime());
    });
  }

  closeProxySession(serviceSid: string, sessionSid: string): Promise<void> {
    return this.call(async () => {
      await this.client.proxy.v1.services(serviceSid).sessions(sessionSid).update({ status: 'closed' });
    }).catch((error) => {
      if (!isGone(error)) throw error;
    });
  }

  addNumberToProxyService(serviceSid: string, numberSid: string, isReserved: boolean): Promise<{ sid: string }> {
    return this.call(async () => {
      const added = await this.client.proxy.v1.services(serviceSid).phoneNumbers.create({ sid: numberSid, isReserved });
      return { sid: added.sid };
    });
  }

  createProxySession(serviceSid: string, input: ProxySessionInput): Promise<{ sid: string }> {
    return this.call(async () => {
      const session = await this.client.proxy.v1.services(serviceSid).sessions.create({
        ...(input.uniqueName && { uniqueName: input.uniqueName }),
        ...(input.ttlSeconds !== undefined && { ttl: input.ttlSeconds }),
      });
      return { sid: session.sid };
    });
  }

  addProxyParticipant(serviceSid: string, sessionSid: string, input: ProxyParticipantInput): Promise<{ sid: string; proxyIdentifier: string | null }> {
    return this.call(async () => {
      const participant = await this.client.proxy.v1.services(serviceSid).sessions(sessionSid).participants.create({
        identifier: input.identifier,
        ...(input.friendlyName && { friendlyName: input.friendlyName }),
        ...(input.proxyIdentifier && { proxyIdentifier: input.proxyIdentifier }),
      });
      return { sid: participant.sid, proxyIdentifier: participant.proxyIdentifier ?? null };
    });
  }

  createMessageInteraction(serviceSid: string, sessionSid: string, participantSid: string, body: string, mediaUrls?: string[]): Promise<{ sid: string }> {
    return this.call(async () => {
      const interaction = await this.client.proxy.v1
        .services(serviceSid)
        .sessions(sessionSid)
        .participants(participantSid)
        .messageInteractions.create({ body, ...(mediaUrls?.length && { mediaUrl: mediaUrls }) });
      return { sid: interaction.sid };
    });
  }

  // --- conversations ---

  createConversation(friendlyName: string): Promise<ConversationInfo> {
    return this.call(async () => {
      const conversation = await this.client.conversations.v1.conversations.create({ friendlyName });
      return { sid: conversation.sid, friendlyName: conversation.friendlyName ?? null };
    });
  }

  addSmsParticipant(conversationSid: string, address: string, proxyAddress: string): Promise<{ sid: string }> {
    return this.call(async () => {
      const participant = await this.client.conversations.v1
        .conversations(conversationSid)
        .participants.create({ 'messagingBinding.address': address, 'messagingBinding.proxyAddress': proxyAddress });
      return { sid: participant.sid };
    });
  }

  deleteConversation(conversationSid: string): Promise<void> {
    return this.call(async () => {
      await this.client.conversations.v1.conversations(conversationSid).remove();
    }).catch((error) => {
      if (!isGone(error)) throw error;
    });
  }

  closeConversation(conversationSid: string): Promise<void> {
    return this.call(async () => {
      await this.client.conversations.v1.conversations(conversationSid).update({ state: 'closed' });
    }).catch((error) => {
      if (!isGone(error) && !(error instanceof TelephonyError && error.code === CONVERSATION_CLOSED)) throw error;
    });
  }

  findConversationByAddress(address: string, proxyAddress?: string): Promise<ConversationInfo | null> {
    return this.call(async () => {
      const found = await this.client.conversations.v1.participantConversations.list({ address, pageSize: this.pageSize });
      const match = found.find(
        (pc) => pc.conversationState !== 'closed' && (proxyAddress === undefined || pc.participantMessagingBinding?.proxy_address === proxyAddress),
      );
      return match ? { sid: match.conversationSid, friendlyName: match.conversationFriendlyName ?? null } : null;
    });
  }

  /** Runs one SDK call and translates its failure into the port's TelephonyError. */
  private async call<T>(operation: () => Promise<T>): Promise<T> {
    try {
      return await operation();
    } catch (error) {
      throw toTelephonyError(error);
    }
  }
}
