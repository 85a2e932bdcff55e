import { Injectable } from '@nestjs/common';
import { AppConfig } from '@maskline/config';
import { RedisService } from '@maskline/redis';
import { ClientRepository, Session, SitterRepository } from '@maskline/store';
import { TelephonyGateway } from '@maskline/telephony';
import { NotFoundError } from '../../common/http/app-errors';
import { SessionService } from '../../sessions/session.service';
import { ProxyServiceRef } from '../../inventory/purchase/proxy-service-ref';

/** Our session and who is who in the Proxy session that carries it. */
export interface ProxySessionLink {
  sessionId: string;
  proxySessionSid: string;
  clientParticipantSid: string;
  sitterParticipantSid: string;
}

const linkKey = (proxySessionSid: string) => `proxy:link:${proxySessionSid}`;
const proxySessionOfKey = (sessionId: string) => `proxy:session-of:${sessionId}`;
const UNIQUE_NAME_SEPARATOR = '.';

/**
 * The Proxy session's unique name: our session id (no phone number, as
 * Twilio asks) and the message that opened it, so a Proxy session reopened
 * for the same conversation after the first expired gets a name of its own,
 * and a redelivered out-of-session callback names the same one (Proxy
 * refuses the duplicate instead of opening a second session).
 */
export function proxyUniqueName(sessionId: string, openingMessageSid: string): string {
  return `${sessionId}${UNIQUE_NAME_SEPARATOR}${openingMessageSid}`;
}

export function sessionIdOf(uniqueName: string | null): string | null {
  const id = uniqueName?.split(UNIQUE_NAME_SEPARATOR)[0];
  return id ? id : null;
}

/**
 * Which of our sessions a Proxy session carries, and which participant is the
 * client and which the sitter. Proxy's intercept callback names only its own
 * sids: the first one of a Proxy session is looked up through the REST API
 * (the session's unique name, its two participants) and kept in Redis for
 * the session's lifetime, so every later message of the conversation costs
 * one Redis read.
 */
@Injectable()
export class ProxySessionMap {
  constructor(
    private readonly redis: RedisService,
    private readonly telephony: TelephonyGateway,
    private readonly proxyService: ProxyServiceRef,
    private readonly sessions: SessionService,
    private readonly clients: ClientRepository,
    private readonly sitters: SitterRepository,
    private readonly config: AppConfig,
  ) {}

  /** null when the Proxy session is none of ours (created by hand, or by another system on the same service) */
  async resolve(proxySessionSid: string): Promise<{ link: ProxySessionLink; session: Session } | null> {
    const cached = await this.redis.client.get(linkKey(proxySessionSid));
    if (cached) {
      const link = JSON.parse(cached) as ProxySessionLink;
      return { link, session: await this.sessions.get(link.sessionId) };
    }
    const proxySession = await this.telephony.findProxySession(this.proxyService.sid, proxySessionSid);
    const sessionId = sessionIdOf(proxySession?.uniqueName ?? null);
    if (!sessionId) return null;
    const session = await this.sessions.get(sessionId).catch((error: unknown) => {
      if (error instanceof NotFoundError) return null;
      throw error;
    });
    if (!session) return null;
    const [client, sitter, participants] = await Promise.all([
      this.clients.findById(session.clientId),
      this.sitters.findById(session.sitterId),
      this.telephony.listProxyParticipants(this.proxyService.sid, proxySessionSid),
    ]);
    const clientParticipant = participants.find((p) => p.identifier === client?.phone);
    const sitterParticipant = participants.find((p) => p.identifier === sitter?.phone);
    if (!clientParticipant || !sitterParticipant) return null;
    const link: ProxySessionLink = { sessionId, proxySessionSid, clientParticipantSid: clientParticipant.sid, sitterParticipantSid: sitterParticipant.sid };
    const ttlSeconds = this.config.relay.sessionTtlDays * 86_400 + 86_400;
    await this.redis.client.multi().set(linkKey(proxySessionSid), JSON.stringify(link), 'EX', ttlSeconds).set(proxySessionOfKey(sessionId), proxySessionSid, 'EX', ttlSeconds).exec();
    return { link, session };
  }

  /** the Proxy session last seen carrying our session, if any */
  proxySessionOf(sessionId: string): Promise<string | null> {
    return this.redis.client.get(proxySessionOfKey(sessionId));
  }

  async forget(sessionId: string, proxySessionSid: string): Promise<void> {
    await this.redis.client.del(linkKey(proxySessionSid), proxySessionOfKey(sessionId));
  }
}
