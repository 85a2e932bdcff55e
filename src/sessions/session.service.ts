import { Injectable, Logger } from '@nestjs/common';
import { AppConfig } from '@maskline/config';
import { JobName, JobQueue } from '@maskline/jobs';
import { AuditLog, Client, ClientRepository, OpenSessionResult, Session, SessionRepository, Sitter, SitterRepository } from '@maskline/store';
import { ConflictError, NotFoundError, UnprocessableError } from '../common/http/app-errors';
import { PoolSupply } from './pool-supply';

export type SessionCloseReason = 'expired' | 'closed_by_api' | 'number_detached';

const SWEEP_BATCH = 100;

const DAY_MS = 24 * 3600 * 1000;

/** lastActivityAt is kept to the minute: well within a TTL counted in days */
export const ACTIVITY_RESOLUTION_MS = 60_000;

/** Sessions whose last message is older than this moment have expired. */
export function idleCutoff(now: Date, ttlDays: number): Date {
  return new Date(now.getTime() - ttlDays * DAY_MS);
}

/**
 * Expired even if the sweep has not run yet: the relay checks this when it
 * meets a session, so the TTL holds to the minute whatever the sweep interval.
 */
export function isIdlePastTtl(lastActivityAt: Date, now: Date, ttlDays: number): boolean {
  return lastActivityAt.getTime() < idleCutoff(now, ttlDays).getTime();
}

/**
 * Sessions for the relay and the sessions API: open (claiming a pool number
 * no other active session of the sitter holds), find, keep alive, close.
 * A session idle past SESSION_TTL_DAYS counts as closed the moment anyone
 * meets it, whether or not the sweep has run yet.
 */
@Injectable()
export class SessionService {
  private readonly logger = new Logger(SessionService.name);

  constructor(
    private readonly sessions: SessionRepository,
    private readonly audit: AuditLog,
    private readonly poolSupply: PoolSupply,
    private readonly config: AppConfig,
    private readonly clients: ClientRepository,
    private readonly sitters: SitterRepository,
    private readonly jobs: JobQueue,
  ) {}

  /**
   * POST /sessions: a known client and a sitter with a reserved number get
   * their active session, or a new one. No free pool number is a 409 (the
   * exhaustion purchase is already requested: retry in a few minutes).
   */
  async open(clientId: string, sitterId: string): Promise<Exclude<OpenSessionResult, { outcome: 'exhausted' }>> {
    const [client, sitter] = await Promise.all([this.clients.findById(clientId), this.sitters.findById(sitterId)]);
    if (!client) throw new NotFoundError('client', clientId);
    if (!sitter) throw new NotFoundError('sitter', sitterId);
    if (!sitter.reservedNumber) throw new UnprocessableError('The sitter has no reserved number yet', { sitter_id: sitter.id }, 'sitter_without_number');
    const result = await this.openForPair(client, sitter, sitter.reservedNumber);
    if (result.outcome === 'exhausted') {
      throw new ConflictError('No pool number is free for this sitter; a pool number purchase was requested. Retry in a few minutes.', { purchase_requested: true }, 'pool_exhausted');
    }
    return result;
  }

  /**
   * SPEC 3.1 step 3: the pair's active session, or a new one on a free pool
   * number. `exhausted` when none is free; the exhaustion purchase is then
   * already requested.
   */
  async openForPair(client: Pick<Client, 'id'>, sitter: Pick<Sitter, 'id'>, reservedNumber: string, now = new Date()): Promise<OpenSessionResult> {
    // the common case, an ongoing conversation, is one plain read; opening takes the store's per-sitter lock
    const current = await this.sessions.findActiveForClientAndSitter(client.id, sitter.id);
    if (current && !this.isExpired(current, now)) return { outcome: 'existing', session: current };
    if (current) await this.close(current, 'expired', now);
    const input = { clientId: client.id, sitterId: sitter.id, reservedNumber, now };
    let result = await this.sessions.openOrGet(input);
    if (result.outcome === 'existing' && this.isExpired(result.session, now)) {
      await this.close(result.session, 'expired', now);
      result = await this.sessions.openOrGet(input);
    }
    if (result.outcome === 'created') await this.recordOpened(result.session);
    if (result.outcome === 'exhausted') {
      this.logger.warn(`No free pool number for sitter ${sitter.id}; requesting an exhaustion purchase`);
      await this.poolSupply.requestExhaustionPurchase({ sitterId: sitter.id });
    }
    return result;
  }

  /** SPEC 3.2: the sitter's active session on this pool number, if any. */
  async findActiveOnPoolNumber(sitterId: string, poolNumber: string, now = new Date()): Promise<Session | null> {
    const session = await this.sessions.findActiveBySitterAndPoolNumber(sitterId, poolNumber);
    if (!session || !this.isExpired(session, now)) return session;
    await this.close(session, 'expired', now);
    return null;
  }

  /**
   * Keeps the session alive. The TTL counts in days, so a session touched
   * within the last minute is left as it is: a conversation in full swing
   * (or a burst of texts) costs one write a minute, not one per message.
   */
  async recordActivity(session: Session, at: Date): Promise<void> {
    if (at.getTime() - session.lastActivityAt.getTime() < ACTIVITY_RESOLUTION_MS) return;
    await this.sessions.touch(session.id, at);
  }

  async get(id: string): Promise<Session> {
    const session = await this.sessions.findById(id);
    if (!session) throw new NotFoundError('session', id);
    return session;
  }

  /** Closes an active session (idempotent: a closed one is answered as it is). */
  async closeById(id: string, reason: SessionCloseReason, now = new Date()): Promise<Session> {
    const session = await this.get(id);
    if (session.status !== 'active') return session;
    return (await this.close(session, reason, now)) ?? (await this.get(id));
  }

  /** detach-number: closes every active session through a reserved number; answers how many it closed. */
  async closeAllThrough(reservedNumber: string, reason: SessionCloseReason, now = new Date()): Promise<number> {
    const active = await this.sessions.listActiveByReservedNumber(reservedNumber);
    const closed = await Promise.all(active.map((s) => this.close(s, reason, now)));
    return closed.filter(Boolean).length;
  }

  /** The sweep: closes every session idle past the TTL; answers how many it closed. */
  async expireIdle(now = new Date()): Promise<number> {
    const cutoff = idleCutoff(now, this.config.relay.sessionTtlDays);
    let closed = 0;
    for (;;) {
      const batch = await this.sessions.listIdleSince(cutoff, SWEEP_BATCH);
      for (const session of batch) if (await this.close(session, 'expired', now)) closed += 1;
      if (batch.length < SWEEP_BATCH) return closed;
    }
  }

  async counts(): Promise<{ active: number; total: number }> {
    const [active, total] = await Promise.all([this.sessions.countActive(), this.sessions.countAll()]);
    return { active, total };
  }

  private isExpired(session: Session, now: Date): boolean {
    return isIdlePastTtl(session.lastActivityAt, now, this.config.relay.sessionTtlDays);
  }

  /**
   * Every close (TTL, the close route, detach-number) comes here, so each
   * writes the one session_closed event. null when someone else closed it
   * first (their audit event is the one that counts).
   */
  private async close(session: Session, reason: SessionCloseReason, now: Date): Promise<Session | null> {
    const closed = await this.sessions.close(session.id, reason, now);
    if (!closed) return null;
    await this.audit.record({
      eventType: 'session_closed',
      category: 'session',
      details: { session_id: closed.id, reason, pool_number: closed.poolNumber, last_activity_at: closed.lastActivityAt.toISOString() },
      sitterId: closed.sitterId,
      clientId: closed.clientId,
    });
    if (this.config.twilio.relayMode === 'proxy') await this.closeProxySession(closed);
    return closed;
  }

  /** Proxy mode: the Proxy session goes too, so its pool number is free for the sitter's next client (ProxySessionCloser). */
  private async closeProxySession(session: Session): Promise<void> {
    try {
      await this.jobs.queue(JobName.ProxyCloseSession, { sessionId: session.id }, { jobId: `proxy-close-${session.id}`, attempts: 8, backoff: { type: 'exponential', delay: 5_000 } });
    } catch (error) {
      // closed here already; Proxy's own TTL (SESSION_TTL_DAYS) ends its session in the worst case
      this.logger.warn(`Session ${session.id} closed, but closing its Proxy session could not be queued: ${(error as Error).message}`);
    }
  }

  private async recordOpened(session: Session): Promise<void> {
    await this.audit.record({
      eventType: 'session_opened',
      category: 'session',
      details: { session_id: session.id, pool_number: session.poolNumber, reserved_number: session.reservedNumber },
      sitterId: session.sitterId,
      clientId: session.clientId,
    });
  }
}
