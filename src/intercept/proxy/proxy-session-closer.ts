import { Injectable, Logger } from '@nestjs/common';
import { AppConfig } from '@maskline/config';
import { JobName, JobOf, OnJob } from '@maskline/jobs';
import { retryTransient, TelephonyGateway } from '@maskline/telephony';
import { ProxyServiceRef } from '../../inventory/purchase/proxy-service-ref';
import { ProxySessionMap } from './proxy-session-map';

declare module '@maskline/jobs' {
  interface JobDataMap {
    [JobName.ProxyCloseSession]: { sessionId: string };
  }
}

/**
 * Every close of one of our sessions (TTL, the close route, detach-number)
 * queues this (SessionService): the Proxy session carrying it is closed too,
 * so Proxy stops forwarding and the pool number is free for the sitter's
 * next client. A Proxy session already closed or gone counts as closed.
 */
@Injectable()
export class ProxySessionCloser {
  private readonly logger = new Logger(ProxySessionCloser.name);

  constructor(
    private readonly links: ProxySessionMap,
    private readonly telephony: TelephonyGateway,
    private readonly proxyService: ProxyServiceRef,
    private readonly config: AppConfig,
  ) {}

  @OnJob(JobName.ProxyCloseSession)
  async close(job: JobOf<JobName.ProxyCloseSession>): Promise<{ closed: string | null }> {
    const { sessionId } = job.data;
    const proxySessionSid = await this.links.proxySessionOf(sessionId);
    if (!proxySessionSid) return { closed: null };
    await retryTransient(() => this.telephony.closeProxySession(this.proxyService.sid, proxySessionSid), { budgetMs: this.config.twilio.transientRetryBudgetMs });
    await this.links.forget(sessionId, proxySessionSid);
    this.logger.log(`Proxy session ${proxySessionSid} of session ${sessionId} closed`);
    return { closed: proxySessionSid };
  }
}
