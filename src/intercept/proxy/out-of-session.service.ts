import { Injectable, Logger } from '@nestjs/common';
import { AppConfig } from '@maskline/config';
import { ClientRepository, Session } from '@maskline/store';
import { maskPhone } from '../../common/phone/phone';
import { EMPTY_TWIML } from '../intercept.controller';
import type { InboundSms } from '../rules/inbound-sms';
import { InboundRelayService, NO_SESSION_NOTICE } from '../relay/inbound-relay.service';
import { RelayRouting } from '../relay/relay-routing';
import { proxyUniqueName } from './proxy-session-map';

/** The auto-create session JSON of Twilio's "Out-of-Session Callback Response Guide". */
export interface AutoCreateSession {
  uniqueName: string;
  ttl: number;
  mode: 'message-only';
  /** the second participant's real phone */
  participantIdentifier: string;
  /** the number the second participant sees the sender on */
  participantProxyIdentifier: string;
}

export type OutOfSessionAnswer = { kind: 'auto_create'; session: AutoCreateSession } | { kind: 'twiml'; twiml: string };

const xmlEscape = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const messageTwiml = (text: string) => `<?xml version="1.0" encoding="UTF-8"?><Response><Message>${xmlEscape(text)}</Message></Response>`;

/**
 * Proxy's out-of-session callback (SPEC 3.3): a text to one of our numbers
 * that no open Proxy session carries. The business rules are the relay's
 * own (RelayRouting); only the answer is Proxy's:
 * - a client texting a sitter's reserved number: client upserted, session
 *   opened with its pool number, and Proxy told to open a session in which
 *   the client stays on the reserved number and the sitter sees the client
 *   on the pool number;
 * - a sitter replying on a pool number whose Proxy session expired while
 *   ours lives on: the same, the other way round;
 * - a sitter on a pool number with no session: the short notice, as TwiML;
 * - anyone else (and carrier keywords): empty TwiML, audited.
 * With no pool number free the text waits in the relay's hold (SPEC 3.4)
 * and reaches the sitter by SMS once a number is bought.
 */
@Injectable()
export class OutOfSessionService {
  private readonly logger = new Logger(OutOfSessionService.name);

  constructor(
    private readonly routing: RelayRouting,
    private readonly clients: ClientRepository,
    private readonly relay: InboundRelayService,
    private readonly config: AppConfig,
  ) {}

  async answer(sms: InboundSms, now = new Date()): Promise<OutOfSessionAnswer> {
    const { route, reservedOwner, senderSitter, session } = await this.routing.classify(sms, now);
    switch (route.kind) {
      case 'client_to_sitter': {
        const opened = await this.routing.openClientSession(sms, reservedOwner!, now);
        if ('exhausted' in opened) {
          await this.relay.accept(sms, now);
          return { kind: 'twiml', twiml: EMPTY_TWIML };
        }
        return this.autoCreate(opened.session, reservedOwner!.phone, opened.session.poolNumber, sms.messageSid);
      }
      case 'sitter_to_client': {
        const client = await this.clients.findById(session!.clientId);
        if (!client) return { kind: 'twiml', twiml: messageTwiml(NO_SESSION_NOTICE) };
        return this.autoCreate(session!, client.phone, session!.reservedNumber, sms.messageSid);
      }
      case 'sitter_without_session':
        this.logger.log(`Sitter ${senderSitter!.id} texted pool number ${maskPhone(sms.to)} with no active session; notice sent`);
        return { kind: 'twiml', twiml: messageTwiml(NO_SESSION_NOTICE) };
      default:
        await this.routing.recordNotRelayed(sms, route, reservedOwner ?? senderSitter);
        return { kind: 'twiml', twiml: EMPTY_TWIML };
    }
  }

  private autoCreate(session: Session, participantIdentifier: string, participantProxyIdentifier: string, messageSid: string): OutOfSessionAnswer {
    return {
      kind: 'auto_create',
      session: {
        uniqueName: proxyUniqueName(session.id, messageSid),
        ttl: this.config.relay.sessionTtlDays * 86_400,
        mode: 'message-only',
        participantIdentifier,
        participantProxyIdentifier,
      },
    };
  }
}
