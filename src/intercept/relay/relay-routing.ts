import { Injectable, Logger } from '@nestjs/common';
import { AuditLog, Client, ClientRepository, NumberRepository, Session, Sitter, SitterRepository } from '@maskline/store';
import { shouldRecordClientActivity } from '../../clients/client-activity';
import { maskPhone } from '../../common/phone/phone';
import { SessionService } from '../../sessions/session.service';
import { classifyInbound, InboundRoute } from '../rules/classify-inbound';

/** The parts of an inbound text the business rules look at, whichever transport brought it. */
export interface InboundText {
  messageSid: string;
  from: string;
  to: string;
  body: string;
}

/** Where an inbound text goes, with what the lookups found on the way. */
export interface RoutedText {
  route: InboundRoute;
  /** the sitter whose reserved number received it (client to sitter) */
  reservedOwner: Sitter | null;
  /** the sitter whose real phone sent it */
  senderSitter: Sitter | null;
  /** the sender sitter's active session on the receiving pool number */
  session: Session | null;
}

export type ClientSessionResult = { client: Client; session: Session } | { client: Client; exhausted: true };

/**
 * The relay's business rules shared by both transports (Programmable
 * Messaging and Proxy, SPEC 3.1-3.3): who is the client and who the sitter,
 * the first-contact client, the session and its pool number, and the audit
 * of what is not relayed. Only how the message then travels differs.
 */
@Injectable()
export class RelayRouting {
  private readonly logger = new Logger(RelayRouting.name);

  constructor(
    private readonly sitters: SitterRepository,
    private readonly numbers: NumberRepository,
    private readonly clients: ClientRepository,
    private readonly audit: AuditLog,
    private readonly sessions: SessionService,
  ) {}

  /**
   * Lookups run in the order of the common cases and stop as soon as the way
   * is known (each one is a cached read on the Airtable driver): a client's
   * message needs one, a sitter's reply three; the inventory is consulted only
   * for what matches no conversation.
   */
  async classify(text: InboundText, now: Date): Promise<RoutedText> {
    const reservedOwner = await this.sitters.findByReservedNumber(text.to);
    const senderSitter = reservedOwner ? null : await this.sitters.findByPhone(text.from);
    const session = senderSitter ? await this.sessions.findActiveOnPoolNumber(senderSitter.id, text.to, now) : null;
    const receivingNumber = reservedOwner || session ? null : await this.numbers.findByPhone(text.to);
    const route = classifyInbound({ from: text.from, body: text.body, reservedOwner, senderSitter, senderHasSession: session !== null, receivingNumber });
    return { route, reservedOwner, senderSitter, session };
  }

  /** The client (found, or created on first contact, race-free) and their session with the sitter; `exhausted` when no pool number is free. */
  async openClientSession(text: InboundText, sitter: Sitter, now: Date): Promise<ClientSessionResult> {
    // a returning client is one read; only a first contact needs the atomic find-or-create
    const known = await this.clients.findByPhone(text.from);
    const { client, created } = known ? { client: known, created: false } : await this.clients.findOrCreateByPhone(text.from, sitter.id);
    if (created) {
      await this.audit.record({ eventType: 'client_first_contact', category: 'client', details: { message_sid: text.messageSid }, clientId: client.id, sitterId: sitter.id });
    }
    const opened = await this.sessions.openForPair(client, sitter, text.to, now);
    if (opened.outcome === 'exhausted') return { client, exhausted: true };
    await Promise.all([
      this.sessions.recordActivity(opened.session, now),
      shouldRecordClientActivity(client, sitter.id, now) ? this.clients.touch(client.id, now, sitter.id) : undefined,
    ]);
    return { client, session: opened.session };
  }

  /** Carrier keywords (Twilio handles them) and unknown senders or numbers: audited, never forwarded. */
  async recordNotRelayed(text: InboundText, route: Extract<InboundRoute, { kind: 'carrier_keyword' | 'unrouted' }>, sitter: Sitter | null): Promise<void> {
    const keyword = route.kind === 'carrier_keyword';
    const reason = keyword ? `carrier_keyword_${route.keyword.kind}` : route.reason;
    this.logger.log(`Message ${text.messageSid} from ${maskPhone(text.from)} to ${maskPhone(text.to)} not relayed: ${reason}`);
    await this.audit.record({
      eventType: keyword ? 'relay_carrier_keyword' : 'relay_unknown_sender',
      category: 'relay',
      severity: keyword ? 'info' : 'warning',
      details: { message_sid: text.messageSid, reason, from: maskPhone(text.from), to: maskPhone(text.to), ...(keyword ? { keyword: route.keyword.keyword } : {}) },
      sitterId: sitter?.id ?? null,
      phoneNumber: maskPhone(text.from),
    });
  }
}
