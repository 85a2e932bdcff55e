import { Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { DelayedError } from 'bullmq';
import { JobName, JobOf, JobQueue, OnJob, ProcessRoles } from '@maskline/jobs';
import { AuditLog, Client, ClientRepository, Session, Sitter } from '@maskline/store';
import { maskPhone } from '../../common/phone/phone';
import { SessionService } from '../../sessions/session.service';
import { HeldRelayMessages } from '../pool-hold/held-relay-messages';
import { composeRelayBody, formatClientPrefix } from '../rules/client-prefix';
import type { InboundSms } from '../rules/inbound-sms';
import { InboundSpool } from './inbound-spool';
import { RELAY_JOB_RETENTION, RelaySenderService } from './relay-sender.service';
import { RelayRouting } from './relay-routing';

declare module '@maskline/jobs' {
  interface JobDataMap {
    [JobName.RelayRouteInbound]: RouteInboundJobData;
  }
}

/** One per inbound webhook. */
export interface RouteInboundJobData extends InboundSms {
  receivedAt: string;
  /** how many times this message waited for a pool number (SPEC 3.4) */
  timesHeld?: number;
}

export type RouteOutcome = 'relayed' | 'notice_sent' | 'not_relayed' | 'held';

/** how often an API process looks for spooled texts to hand to Redis (start-up, and after an outage) */
const SPOOL_REPLAY_EVERY_MS = 2_000;

/** What a sitter reads after texting a pool number whose conversation has ended. */
export const NO_SESSION_NOTICE = 'This conversation has ended, so your message was not delivered. It reopens when the client texts your number again.';

/**
 * Decides where an inbound message goes (SPEC 3.1/3.2) and queues the send.
 * The webhook only queues a routing job; routing runs in that job, where
 * every step is safe to repeat (find-or-create client, open-or-get session,
 * send job ids derived from the MessageSid).
 */
@Injectable()
export class InboundRelayService implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(InboundRelayService.name);
  private replayTimer?: NodeJS.Timeout;
  private replaying?: Promise<number>;

  constructor(
    private readonly routing: RelayRouting,
    private readonly clients: ClientRepository,
    private readonly audit: AuditLog,
    private readonly sessions: SessionService,
    private readonly relay: RelaySenderService,
    private readonly held: HeldRelayMessages,
    private readonly jobs: JobQueue,
    private readonly spool: InboundSpool,
    private readonly roles: ProcessRoles,
  ) {}

  /** API processes hand spooled texts to Redis at start-up and whenever Redis answers again. */
  onApplicationBootstrap(): void {
    if (!this.roles.api) return;
    const tick = () => {
      this.replaying = this.replaySpooled().catch((error) => {
        this.logger.warn(`Spooled inbound texts not replayed yet: ${(error as Error).message}`);
        return 0;
      });
      void this.replaying.finally(() => {
        if (this.replayTimer) this.replayTimer = setTimeout(tick, SPOOL_REPLAY_EVERY_MS).unref();
      });
    };
    this.replayTimer = setTimeout(tick, 0).unref();
  }

  async onModuleDestroy(): Promise<void> {
    clearTimeout(this.replayTimer);
    this.replayTimer = undefined;
    await this.replaying;
  }

  /**
   * From the webhook: the job id is the MessageSid, so Twilio redelivering a
   * webhook adds nothing. Twilio never retries an inbound webhook that
   * failed, so when Redis does not take the job in time (a bounded wait, well
   * inside Twilio's 15 s) the text goes to the local spool and the webhook
   * still answers 200; the spool is replayed under the same job id.
   */
  async accept(sms: InboundSms, receivedAt: Date): Promise<void> {
    const data: RouteInboundJobData = { ...sms, receivedAt: receivedAt.toISOString() };
    try {
      await this.queueRouting(data);
    } catch (error) {
      await this.spool.keep(sms.messageSid, data);
      this.logger.warn(`Inbound ${sms.messageSid} spooled to disk (${(error as Error).message}); relayed once Redis answers`);
    }
  }

  /** Hands every spooled text to the Relay queue, oldest first not promised; stops at the first refusal. Answers how many went. */
  async replaySpooled(): Promise<number> {
    let replayed = 0;
    for (const sid of await this.spool.waiting()) {
      const spooled = await this.spool.read(sid);
      if (!spooled) continue;
      await this.queueRouting(spooled.data as RouteInboundJobData);
      await this.spool.remove(sid);
      replayed += 1;
    }
    if (replayed) this.logger.log(`${replayed} spooled inbound text(s) handed to the Relay queue`);
    return replayed;
  }

  private queueRouting(data: RouteInboundJobData): Promise<string> {
    return this.jobs.queue(JobName.RelayRouteInbound, data, {
      ...RELAY_JOB_RETENTION,
      jobId: `inbound-${data.messageSid}`,
      attempts: 5,
      backoff: { type: 'exponential', delay: 2_000 },
    });
  }

  /** A message with no free pool number parks its job (SPEC 3.4) and routes again when one is ready. */
  @OnJob(JobName.RelayRouteInbound)
  async routeJob(job: JobOf<JobName.RelayRouteInbound>, token?: string): Promise<{ outcome: RouteOutcome }> {
    const epoch = await this.held.readyEpoch();
    const outcome = await this.route(job.data);
    if (outcome === 'held') {
      await this.held.hold(job, token!, epoch);
      throw new DelayedError();
    }
    if (job.data.timesHeld) await this.held.forget(job.id!);
    return { outcome };
  }

  async route(sms: RouteInboundJobData, now = new Date()): Promise<RouteOutcome> {
    const { route, reservedOwner, senderSitter, session } = await this.routing.classify(sms, now);
    switch (route.kind) {
      case 'client_to_sitter':
        return this.clientToSitter(sms, reservedOwner!, now);
      case 'sitter_to_client':
        return this.sitterToClient(sms, senderSitter!, session!, now);
      case 'sitter_without_session':
        return this.noticeToSitter(sms, senderSitter!);
      default:
        await this.routing.recordNotRelayed(sms, route, reservedOwner ?? senderSitter);
        return 'not_relayed';
    }
  }

  private async clientToSitter(sms: RouteInboundJobData, sitter: Sitter, now: Date): Promise<RouteOutcome> {
    const opened = await this.routing.openClientSession(sms, sitter, now);
    if ('exhausted' in opened) {
      if (!sms.timesHeld) await this.recordHeld(sms, opened.client, sitter);
      return 'held';
    }
    const { client, session } = opened;
    await this.relay.send({
      direction: 'client_to_sitter',
      sessionId: session.id,
      inboundSid: sms.messageSid,
      from: session.poolNumber,
      to: sitter.phone,
      body: composeRelayBody(formatClientPrefix(client.name, client.phone), sms.body),
      mediaUrls: sms.mediaUrls,
    });
    return 'relayed';
  }

  private async sitterToClient(sms: RouteInboundJobData, sitter: Sitter, session: Session, now: Date): Promise<RouteOutcome> {
    const client = await this.clients.findById(session.clientId);
    if (!client) return this.noticeToSitter(sms, sitter);
    await this.sessions.recordActivity(session, now);
    await this.relay.send({
      direction: 'sitter_to_client',
      sessionId: session.id,
      inboundSid: sms.messageSid,
      from: session.reservedNumber,
      to: client.phone,
      body: composeRelayBody('', sms.body),
      mediaUrls: sms.mediaUrls,
    });
    return 'relayed';
  }

  private async noticeToSitter(sms: RouteInboundJobData, sitter: Sitter): Promise<RouteOutcome> {
    await this.relay.send({ direction: 'system_notice', sessionId: null, inboundSid: sms.messageSid, from: sms.to, to: sitter.phone, body: NO_SESSION_NOTICE, mediaUrls: [] });
    this.logger.log(`Sitter ${sitter.id} texted pool number ${maskPhone(sms.to)} with no active session; notice sent`);
    return 'notice_sent';
  }

  private async recordHeld(sms: RouteInboundJobData, client: Client, sitter: Sitter): Promise<void> {
    this.logger.warn(`Message ${sms.messageSid} held: no free pool number for sitter ${sitter.id}`);
    await this.audit.record({
      eventType: 'relay_held_pool_exhausted',
      category: 'relay',
      severity: 'warning',
      details: { message_sid: sms.messageSid },
      clientId: client.id,
      sitterId: sitter.id,
    });
  }
}
