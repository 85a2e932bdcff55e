import { TwilioErrors } from '../http/twilio-api-error';
import { MessageLog, MessageRecord } from './message-log';
import { NumberBook } from './number-book';
import { isSid, newSid } from './sids';

export interface ProxyServiceRecord {
  sid: string;
  uniqueName: string | null;
  defaultTtl: number;
  callbackUrl: string | null;
  interceptCallbackUrl: string | null;
  outOfSessionCallbackUrl: string | null;
  dateCreated: Date;
}
export interface ProxyNumberRecord {
  serviceSid: string;
  /** the PN sid of the incoming phone number */
  sid: string;
  phoneNumber: string;
  isReserved: boolean;
  dateCreated: Date;
}
export interface ProxySessionRecord {
  sid: string;
  serviceSid: string;
  uniqueName: string | null;
  ttl: number;
  status: 'open' | 'in-progress' | 'closed';
  dateCreated: Date;
  dateUpdated: Date;
  dateExpiry: Date | null;
  dateLastInteraction: Date | null;
}
export interface ProxyParticipantRecord {
  sid: string;
  sessionSid: string;
  serviceSid: string;
  identifier: string;
  friendlyName: string | null;
  proxyIdentifier: string;
  proxyIdentifierSid: string;
  dateCreated: Date;
}
export interface ProxyInteractionRecord {
  sid: string;
  sessionSid: string;
  serviceSid: string;
  /** the participant the message goes to (the outbound leg) */
  participantSid: string;
  /** the participant who texted the proxy number; null for a Message Interaction created through the API (one-sided) */
  inboundParticipantSid: string | null;
  /** the inbound message's sid, when a participant texted */
  inboundResourceSid: string | null;
  body: string;
  mediaUrls: string[];
  /** pending: waiting on the intercept callback; blocked: it answered 403 */
  status: 'pending' | 'forwarded' | 'blocked';
  /** the outbound message, once forwarded */
  message: MessageRecord | null;
  dateCreated: Date;
}

/** A Proxy service's numbers, sessions, participants and the interactions sent through them. */
export class ProxyState {
  readonly services: ProxyServiceRecord[] = [];
  readonly numbers: ProxyNumberRecord[] = [];
  readonly sessions: ProxySessionRecord[] = [];
  readonly participants: ProxyParticipantRecord[] = [];
  readonly interactions: ProxyInteractionRecord[] = [];

  constructor(
    private readonly numberBook: NumberBook,
    private readonly messageLog: MessageLog,
  ) {}

  createService(settings: Partial<Omit<ProxyServiceRecord, 'sid' | 'dateCreated'>>, sid = newSid('KS')): ProxyServiceRecord {
    const service: ProxyServiceRecord = {
      sid,
      uniqueName: settings.uniqueName ?? null,
      defaultTtl: settings.defaultTtl ?? 0,
      callbackUrl: settings.callbackUrl ?? null,
      interceptCallbackUrl: settings.interceptCallbackUrl ?? null,
      outOfSessionCallbackUrl: settings.outOfSessionCallbackUrl ?? null,
      dateCreated: new Date(),
    };
    this.services.push(service);
    return service;
  }

  /**
   * The service with this SID. Any well-formed KS SID is known: the app is
   * configured with the SID of a service created in Twilio's console, which
   * the simulator cannot have seen being created.
   */
  service(sid: string, path: string): ProxyServiceRecord {
    const found = this.services.find((s) => s.sid === sid);
    if (found) return found;
    if (!isSid(sid, 'KS')) throw TwilioErrors.notFound(path);
    return this.createService({}, sid);
  }

  addNumber(serviceSid: string, input: { sid?: string; phoneNumber?: string; isReserved: boolean }, path: string): ProxyNumberRecord {
    if (!input.sid && !input.phoneNumber) throw TwilioErrors.missingParameter('Sid or PhoneNumber');
    const owned = input.sid ? this.numberBook.find(input.sid) : this.numberBook.findByPhone(input.phoneNumber!);
    if (!owned) throw TwilioErrors.notFound(path);
    if (this.numbers.some((n) => n.serviceSid === serviceSid && n.sid === owned.sid)) throw TwilioErrors.alreadyInService(owned.phoneNumber);
    const record: ProxyNumberRecord = { serviceSid, sid: owned.sid, phoneNumber: owned.phoneNumber, isReserved: input.isReserved, dateCreated: new Date() };
    this.numbers.push(record);
    return record;
  }

  createSession(serviceSid: string, input: { uniqueName?: string; ttl?: number }): ProxySessionRecord {
    if (input.uniqueName && this.sessions.some((s) => s.serviceSid === serviceSid && s.uniqueName === input.uniqueName)) throw TwilioErrors.sessionNameTaken();
    const now = new Date();
    const ttl = input.ttl ?? this.services.find((s) => s.sid === serviceSid)?.defaultTtl ?? 0;
    const session: ProxySessionRecord = {
      sid: newSid('KC'),
      serviceSid,
      uniqueName: input.uniqueName ?? null,
      ttl,
      status: 'open',
      dateCreated: now,
      dateUpdated: now,
      dateExpiry: ttl > 0 ? new Date(now.getTime() + ttl * 1000) : null,
      dateLastInteraction: null,
    };
    this.sessions.push(session);
    return session;
  }

  session(serviceSid: string, sessionSid: string, path: string): ProxySessionRecord {
    const found = this.sessions.find((s) => s.serviceSid === serviceSid && s.sid === sessionSid);
    if (!found) throw TwilioErrors.notFound(path);
    return found;
  }

  addParticipant(session: ProxySessionRecord, input: { identifier: string; friendlyName?: string; proxyIdentifier?: string }): ProxyParticipantRecord {
    const proxyNumber = this.allocateProxyNumber(session, input.identifier, input.proxyIdentifier);
    const participant: ProxyParticipantRecord = {
      sid: newSid('KP'),
      sessionSid: session.sid,
      serviceSid: session.serviceSid,
      identifier: input.identifier,
      friendlyName: input.friendlyName ?? null,
      proxyIdentifier: proxyNumber.phoneNumber,
      proxyIdentifierSid: proxyNumber.sid,
      dateCreated: new Date(),
    };
    this.participants.push(participant);
    return participant;
  }

  participant(session: ProxySessionRecord, participantSid: string, path: string): ProxyParticipantRecord {
    const found = this.participants.find((p) => p.sessionSid === session.sid && p.sid === participantSid);
    if (!found) throw TwilioErrors.notFound(path);
    return found;
  }

  /** An interaction towards `participant`, not yet forwarded (the intercept callback decides). */
  openInteraction(session: ProxySessionRecord, participant: ProxyParticipantRecord, input: { body: string; mediaUrls: string[]; inbound?: { participantSid: string; messageSid: string } }): ProxyInteractionRecord {
    if (!input.body && input.mediaUrls.length === 0) throw TwilioErrors.bodyRequired();
    const now = new Date();
    Object.assign(session, { status: 'in-progress', dateLastInteraction: now, dateUpdated: now });
    const interaction: ProxyInteractionRecord = {
      sid: newSid('KI'),
      sessionSid: session.sid,
      serviceSid: session.serviceSid,
      participantSid: participant.sid,
      inboundParticipantSid: input.inbound?.participantSid ?? null,
      inboundResourceSid: input.inbound?.messageSid ?? null,
      body: input.body,
      mediaUrls: input.mediaUrls,
      status: 'pending',
      message: null,
      dateCreated: now,
    };
    this.interactions.push(interaction);
    return interaction;
  }

  /** Sends the interaction's message to its participant from the participant's proxy number, as Proxy does. */
  forward(interaction: ProxyInteractionRecord): MessageRecord {
    const participant = this.participants.find((p) => p.sid === interaction.participantSid)!;
    interaction.message = this.messageLog.record({ from: participant.proxyIdentifier, to: participant.identifier, body: interaction.body, mediaUrls: interaction.mediaUrls });
    interaction.status = 'forwarded';
    return interaction.message;
  }

  /** The service whose pool holds this phone number, if any (a number belongs to one Proxy service at most). */
  numberInService(phoneNumber: string): ProxyNumberRecord | undefined {
    return this.numbers.find((n) => n.phoneNumber === phoneNumber);
  }

  /** The open session in which `identifier` talks through `proxyIdentifier`, if any. */
  activeParticipant(serviceSid: string, identifier: string, proxyIdentifier: string): ProxyParticipantRecord | undefined {
    return this.participants.find((p) => p.serviceSid === serviceSid && p.identifier === identifier && p.proxyIdentifier === proxyIdentifier && this.isActive(p.sessionSid));
  }

  /** The session's other participant (Proxy sessions have two). */
  otherParticipant(participant: ProxyParticipantRecord): ProxyParticipantRecord | undefined {
    return this.participants.find((p) => p.sessionSid === participant.sessionSid && p.sid !== participant.sid);
  }

  participantsOf(session: ProxySessionRecord): ProxyParticipantRecord[] {
    return this.participants.filter((p) => p.sessionSid === session.sid);
  }

  setReserved(serviceSid: string, numberSid: string, isReserved: boolean, path: string): ProxyNumberRecord {
    const number = this.numbers.find((n) => n.serviceSid === serviceSid && n.sid === numberSid);
    if (!number) throw TwilioErrors.notFound(path);
    number.isReserved = isReserved;
    return number;
  }

  removeNumber(serviceSid: string, numberSid: string, path: string): void {
    const index = this.numbers.findIndex((n) => n.serviceSid === serviceSid && n.sid === numberSid);
    if (index < 0) throw TwilioErrors.notFound(path);
    this.numbers.splice(index, 1);
  }

  close(session: ProxySessionRecord): void {
    const now = new Date();
    Object.assign(session, { status: 'closed', dateUpdated: now });
  }

  /** Active sessions of the service using this number. */
  inUse(number: ProxyNumberRecord): number {
    return this.participants.filter((p) => p.serviceSid === number.serviceSid && p.proxyIdentifier === number.phoneNumber && this.isActive(p.sessionSid)).length;
  }

  reset(): void {
    for (const list of [this.services, this.numbers, this.sessions, this.participants, this.interactions]) list.length = 0;
  }

  /**
   * Proxy's rule: a participant never gets the same proxy number in two active
   * sessions. Without a requested number it picks an unreserved one.
   */
  private allocateProxyNumber(session: ProxySessionRecord, identifier: string, requested?: string): ProxyNumberRecord {
    const candidates = this.numbers.filter((n) => n.serviceSid === session.serviceSid);
    const busy = new Set(
      this.participants.filter((p) => p.serviceSid === session.serviceSid && p.identifier === identifier && p.sessionSid !== session.sid && this.isActive(p.sessionSid)).map((p) => p.proxyIdentifier),
    );
    if (requested) {
      const number = candidates.find((n) => n.phoneNumber === requested);
      if (!number || busy.has(number.phoneNumber)) throw TwilioErrors.invalidProxyPair();
      return number;
    }
    if (candidates.length === 0) throw TwilioErrors.noProxyNumbers();
    const unreserved = candidates.filter((n) => !n.isReserved);
    if (unreserved.length === 0) throw TwilioErrors.noUnreservedProxy();
    const free = unreserved.find((n) => !busy.has(n.phoneNumber));
    if (!free) throw TwilioErrors.noAvailableProxy();
    return free;
  }

  private isActive(sessionSid: string): boolean {
    const session = this.sessions.find((s) => s.sid === sessionSid);
    return !!session && session.status !== 'closed' && (session.dateExpiry === null || session.dateExpiry.getTime() > Date.now());
  }
}
