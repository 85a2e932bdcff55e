import { Injectable, Logger } from '@nestjs/common';
import { AppConfig } from '@maskline/config';
import { JobName, JobOf, JobQueue, OnJob } from '@maskline/jobs';
import { RedisService } from '@maskline/redis';
import { AuditLog, ClientRepository, MessageLog, Session, SitterRepository } from '@maskline/store';
import { retryTransient, TelephonyGateway } from '@maskline/telephony';
import { ProxyServiceRef } from '../../inventory/purchase/proxy-service-ref';
import { SessionService } from '../../sessions/session.service';
import { detectCarrierKeyword } from '../rules/carrier-keywords';
import { composeRelayBody, formatClientPrefix } from '../rules/client-prefix';
import { ProxyInteraction } from '../rules/proxy-interaction';
import { RELAY_JOB_RETENTION } from '../relay/relay-sender.service';
import { RelayRouting } from '../relay/relay-routing';
import { ProxySessionLink, ProxySessionMap } from './proxy-session-map';

declare module '@maskline/jobs' {
  interface JobDataMap {
    [JobName.ProxyResendToSitter]: ProxyResendJobData;
  }
}

export interface ProxyResendJobData {
  /** the blocked interaction (KI): the job id derives from it, so a redelivered callback re-sends nothing */
  interactionSid: string;
  proxySessionSid: string;
  sitterParticipantSid: string;
  sessionId: string;
  inboundSid: string | null;
  /** for the message log: the pool number the sitter sees the client on, and the sitter's phone */
  from: string;
  to: string;
  body: string;
}

export type InterceptDecision = 'block' | 'pass';

/** Twilio waits on the intercept answer; past this the interaction passes as it is rather than risk Twilio's own timeout. */
export const INTERCEPT_DECISION_MS = 5_000;

/** marks an interaction this service created, read back when its own intercept callback arrives */
const resentKey = (interactionSid: string) => `proxy:resent:${interactionSid}`;
/** when a re-send job first went to call Twilio: a later run looks at Twilio before sending again */
const resendIntentKey = (jobId: string) => `proxy:resend-intent:${jobId}`;
/** which re-send job a Message Interaction belongs to: two re-sends of the same text adopt different ones */
const resendOwnerKey = (interactionSid: string) => `proxy:resend-owner:${interactionSid}`;
const RESEND_MARK_TTL_S = 7 * 24 * 3600;
/** servers' clocks and Twilio's differ a little: an interaction created this long before the intent still counts */
const CLOCK_SKEW_MS = 60_000;

class DecisionTimeout extends Error {}

/**
 * Proxy's intercept callback (SPEC 3.3): a client's text is blocked (403)
 * and re-sent to the sitter's participant as a Message Interaction carrying
 * the `[Client Name]: ` prefix; every other interaction passes.
 *
 * No loop is possible: a Message Interaction created through the API is
 * one-sided (Proxy's callback names no inbound participant), and only an
 * interaction whose inbound participant is the client is ever blocked; the
 * sids of our re-sends are also recorded and passed on sight. The re-send
 * is a job whose id is the blocked interaction's sid, so the same callback
 * delivered twice re-sends once.
 *
 * Whatever fails (the store, Redis, Twilio's REST API), the callback still
 * answers in time and lets the text through unprefixed: a message without
 * its prefix beats a lost one. That is logged and audited.
 */
@Injectable()
export class ProxyInterceptService {
  private readonly logger = new Logger(ProxyInterceptService.name);

  constructor(
    private readonly links: ProxySessionMap,
    private readonly routing: RelayRouting,
    private readonly sessions: SessionService,
    private readonly clients: ClientRepository,
    private readonly sitters: SitterRepository,
    private readonly messages: MessageLog,
    private readonly audit: AuditLog,
    private readonly jobs: JobQueue,
    private readonly redis: RedisService,
    private readonly telephony: TelephonyGateway,
    private readonly proxyService: ProxyServiceRef,
    private readonly config: AppConfig,
  ) {}

  async decide(interaction: ProxyInteraction, now = new Date()): Promise<InterceptDecision> {
    if (!interaction.isMessage || !interaction.inboundParticipantSid) return 'pass';
    let timer: NodeJS.Timeout | undefined;
    // once the text has passed unprefixed, a late decision must not re-send it as well
    const late = { passed: false };
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        late.passed = true;
        reject(new DecisionTimeout(`no decision within ${INTERCEPT_DECISION_MS} ms`));
      }, INTERCEPT_DECISION_MS);
    });
    try {
      return await Promise.race([this.route(interaction, now, late), deadline]);
    } catch (error) {
      await this.failOpen(interaction, error as Error);
      return 'pass';
    } finally {
      clearTimeout(timer);
    }
  }

  private async route(interaction: ProxyInteraction, now: Date, late: { passed: boolean }): Promise<InterceptDecision> {
    if (await this.redis.client.exists(resentKey(interaction.interactionSid))) return 'pass';
    const resolved = await this.links.resolve(interaction.sessionSid);
    if (!resolved) {
      this.logger.warn(`Proxy session ${interaction.sessionSid} carries none of our sessions: interaction ${interaction.interactionSid} passes`);
      return 'pass';
    }
    const { link, session } = resolved;
    const fromClient = interaction.inboundParticipantSid === link.clientParticipantSid;
    if (!fromClient && interaction.inboundParticipantSid !== link.sitterParticipantSid) return 'pass';
    // Twilio has already acted on these (opt-out, opt-in, help): never chat, as in messaging mode
    const keyword = detectCarrierKeyword(interaction.body);
    if (keyword) {
      const [client, sitter] = await Promise.all([this.clients.findById(session.clientId), this.sitters.findById(session.sitterId)]);
      const text = fromClient
        ? { from: client?.phone ?? '', to: session.reservedNumber }
        : { from: sitter?.phone ?? '', to: session.poolNumber };
      await this.routing.recordNotRelayed({ messageSid: interaction.inboundMessageSid ?? interaction.interactionSid, body: interaction.body, ...text }, { kind: 'carrier_keyword', keyword }, sitter);
      return 'block';
    }
    if (!fromClient) {
      await this.sitterReplied(interaction, session, now);
      return 'pass';
    }
    if (interaction.inboundMessageSid?.startsWith('MM')) {
      // the callback carries no media: a re-send would lose the pictures, so an MMS goes through unprefixed
      this.logger.log(`Proxy interaction ${interaction.interactionSid} is an MMS: passes unprefixed with its media`);
      await this.sessions.recordActivity(session, now);
      return 'pass';
    }
    await this.queueResend(interaction, link, session, now, late);
    return 'block';
  }

  /** Proxy forwards the reply itself, unprefixed, from the reserved number: we keep the session alive and log it. */
  private async sitterReplied(interaction: ProxyInteraction, session: Session, now: Date): Promise<void> {
    const client = await this.clients.findById(session.clientId);
    await this.sessions.recordActivity(session, now);
    await this.messages.record({
      direction: 'sitter_to_client',
      sessionId: session.id,
      from: session.reservedNumber,
      to: client?.phone ?? '',
      body: interaction.body,
      inboundSid: interaction.inboundMessageSid,
      twilioSid: interaction.interactionSid,
      status: 'forwarded_by_proxy',
    });
  }

  private async queueResend(interaction: ProxyInteraction, link: ProxySessionLink, session: Session, now: Date, late: { passed: boolean }): Promise<void> {
    const [client, sitter] = await Promise.all([this.clients.findById(session.clientId), this.sitters.findById(session.sitterId)]);
    if (!client || !sitter) throw new Error(`session ${session.id} names a client or sitter that is gone`);
    await this.sessions.recordActivity(session, now);
    if (late.passed) return;
    await this.jobs.queue(
      JobName.ProxyResendToSitter,
      {
        interactionSid: interaction.interactionSid,
        proxySessionSid: link.proxySessionSid,
        sitterParticipantSid: link.sitterParticipantSid,
        sessionId: session.id,
        inboundSid: interaction.inboundMessageSid,
        from: session.poolNumber,
        to: sitter.phone,
        body: composeRelayBody(formatClientPrefix(client.name, client.phone), interaction.body),
      },
      { ...RELAY_JOB_RETENTION, jobId: `proxy-resend-${interaction.interactionSid}`, attempts: this.config.relay.sendAttempts, backoff: { type: 'exponential', delay: 2_000 } },
    );
  }

  private async failOpen(interaction: ProxyInteraction, error: Error): Promise<void> {
    this.logger.warn(`Proxy interaction ${interaction.interactionSid} passes unprefixed: ${error.message}`);
    await this.audit
      .record({
        eventType: 'proxy_intercept_failed_open',
        category: 'relay',
        severity: 'warning',
        details: { interaction_sid: interaction.interactionSid, proxy_session_sid: interaction.sessionSid, reason: error.message },
      })
      .catch((auditError: Error) => this.logger.error(`Audit of interaction ${interaction.interactionSid} failed too: ${auditError.message}`));
  }

  /**
   * The blocked text, prefixed, to the sitter's participant: Proxy sends it
   * from the pool number the sitter knows this client by. Exactly once, as
   * the Messaging relay's sends: Twilio's create takes no idempotency key, so
   * the intent is recorded before the call, and a run that finds one (the
   * worker died, the answer timed out after Twilio acted) first looks for
   * the interaction it may already have created and adopts it.
   */
  @OnJob(JobName.ProxyResendToSitter)
  async resend(job: JobOf<JobName.ProxyResendToSitter>): Promise<{ interactionSid: string; adopted: boolean }> {
    const data = job.data;
    const jobId = job.id!;
    const { sid, adopted } = await retryTransient(() => this.adoptOrCreate(jobId, data), { budgetMs: this.config.twilio.transientRetryBudgetMs });
    await this.redis.client.set(resentKey(sid), data.interactionSid, 'EX', RESEND_MARK_TTL_S);
    if (adopted) this.logger.warn(`Re-send ${jobId} had already reached Twilio (${sid}): adopted, not sent again`);
    await this.messages.record({ direction: 'client_to_sitter', sessionId: data.sessionId, from: data.from, to: data.to, body: data.body, inboundSid: data.inboundSid, twilioSid: sid, status: 'sent' });
    return { interactionSid: sid, adopted };
  }

  private async adoptOrCreate(jobId: string, data: ProxyResendJobData): Promise<{ sid: string; adopted: boolean }> {
    const first = await this.redis.client.set(resendIntentKey(jobId), String(Date.now()), 'EX', RESEND_MARK_TTL_S, 'NX');
    if (!first) {
      const since = Number((await this.redis.client.get(resendIntentKey(jobId))) ?? Date.now()) - CLOCK_SKEW_MS;
      const earlier = await this.telephony.listMessageInteractions(this.proxyService.sid, data.proxySessionSid, data.sitterParticipantSid);
      for (const candidate of earlier.filter((i) => i.body === data.body && i.dateCreated.getTime() >= since)) {
        const owner = await this.claim(candidate.sid, jobId);
        if (owner === jobId) return { sid: candidate.sid, adopted: true };
      }
    }
    const created = await this.telephony.createMessageInteraction(this.proxyService.sid, data.proxySessionSid, data.sitterParticipantSid, data.body);
    await this.claim(created.sid, jobId);
    return { sid: created.sid, adopted: false };
  }

  /** the job that owns this interaction: this one if it was free */
  private async claim(interactionSid: string, jobId: string): Promise<string | null> {
    await this.redis.client.set(resendOwnerKey(interactionSid), jobId, 'EX', RESEND_MARK_TTL_S, 'NX');
    return this.redis.client.get(resendOwnerKey(interactionSid));
  }
}
