import { Injectable, Logger } from '@nestjs/common';
import { AppConfig } from '@maskline/config';
import { JobName, JobOf, JobQueue, OnJob } from '@maskline/jobs';
import { RedisService } from '@maskline/redis';
import { AuditLog, NumberRepository } from '@maskline/store';
import { SentMessage } from '@maskline/telephony';
import { maskPhone } from '../../common/phone/phone';
import { RelaySenderService, SendSmsJobData } from '../relay/relay-sender.service';
import { truncateText } from '../rules/sms-text';
import { DeliveryFailureLog, ListedFailure } from './delivery-failure-log';

declare module '@maskline/jobs' {
  interface JobDataMap {
    [JobName.AlertSms]: AlertSmsJobData;
    [JobName.AlertOwnerWebhook]: { alert: OwnerAlert };
  }
}

export interface AlertSmsJobData extends SendSmsJobData {
  direction: 'alert';
  audience: 'sitter' | 'owner';
  /** what the alert is about: the failed message, or the owner alert's id */
  about: string;
}

/** What the owner webhook receives (a Zapier catch hook maps these keys as they are). */
export interface OwnerAlert {
  alert_id: string;
  type: 'delivery_failures_summary' | 'sender_not_registered' | 'account_suspended';
  /** one readable paragraph; also the owner SMS */
  text: string;
  created_at: string;
  error_code?: string;
  meaning?: string;
  /** the number carriers refuse (30034): ours, never a client's */
  phone_number?: string;
  account_sid?: string;
  window_hours?: number;
  threshold?: number;
  failures?: number;
  counts_by_code?: { error_code: string | null; meaning: string; count: number }[];
  worst_clients?: { client_label: string; failures: number }[];
  examples?: { message_sid: string; failed_at: string; error_code: string | null; meaning: string; direction: string; client_label: string | null }[];
}

export interface SitterAlertInput {
  failedSid: string;
  direction: 'client_to_sitter' | 'sitter_to_client';
  sessionId: string;
  sitterPhone: string;
  /** the pool number the sitter sees this client's thread on */
  poolNumber: string;
  clientLabel: string;
  errorCode: string | null;
  meaning: string;
}

const SUMMARY_GUARD = 'alerts:owner-summary-window';
const AT_ONCE_GUARD = (code: string, subject: string) => `alerts:owner-at-once:${code}:${subject.replace(/\W/g, '')}`;
const WEBHOOK_DONE = (jobId: string) => `alerts:webhook-done:${jobId}`;
const WEBHOOK_TIMEOUT_MS = 10_000;
const ALERT_RETENTION = { removeOnComplete: { age: 7 * 24 * 3600 }, removeOnFail: { age: 30 * 24 * 3600 } };
const SUMMARY_EXAMPLES = 5;
const SUMMARY_WORST_CLIENTS = 5;

/**
 * Sitter and owner alerts of the failure policy (SPEC 6). Each alert is a job
 * whose id derives from the failure that caused it, and an SMS alert goes
 * through the relay's exactly-once send, keyed by that id: a callback or a
 * job running twice never alerts twice. Alerts go out as direction `alert`,
 * whose own failures the policy records and never alerts about.
 */
@Injectable()
export class OwnerAndSitterAlerts {
  private readonly logger = new Logger(OwnerAndSitterAlerts.name);

  constructor(
    private readonly jobs: JobQueue,
    private readonly relay: RelaySenderService,
    private readonly failures: DeliveryFailureLog,
    private readonly numbers: NumberRepository,
    private readonly audit: AuditLog,
    private readonly redis: RedisService,
    private readonly config: AppConfig,
  ) {}

  /** one short SMS to the sitter in the client's thread, from its pool number; the client appears by label only */
  async alertSitter(input: SitterAlertInput): Promise<void> {
    const code = input.errorCode ? ` (error ${input.errorCode}: ${input.meaning})` : '';
    const body =
      input.direction === 'client_to_sitter'
        ? `Maskline: a text from ${input.clientLabel} could not be delivered to you${code}. Ask them to send it again.`
        : `Maskline: your text to ${input.clientLabel} was not delivered${code}. They did not get it.`;
    await this.queueSms(`sitter-alert-${input.failedSid}`, {
      direction: 'alert',
      audience: 'sitter',
      about: input.failedSid,
      sessionId: input.sessionId,
      inboundSid: input.failedSid,
      from: input.poolNumber,
      to: input.sitterPhone,
      body: truncateText(body, 320),
      mediaUrls: [],
    });
  }

  /**
   * The owner summary, once per window: the first failure past the threshold
   * takes the window's guard; later ones in the same window find it taken.
   */
  async summaryOnceInWindow(failedSid: string, failedFrom: string, now: Date): Promise<boolean> {
    const { ownerWindowMs, ownerThreshold } = this.config.alerts;
    if (!(await this.failures.claim(SUMMARY_GUARD, failedSid, ownerWindowMs))) return false;
    const failures = await this.failures.listPermanentSince(new Date(now.getTime() - ownerWindowMs), 1000);
    await this.sendToOwner(summaryAlert(`summary-${failedSid}`, failures, { windowHours: ownerWindowMs / 3600_000, threshold: ownerThreshold, now }), failedFrom);
    return true;
  }

  /** 30034 names the number carriers refuse, 30002 the account: once per subject per window */
  async atOnce(code: string, meaning: string, failedSid: string, failedFrom: string, now: Date): Promise<boolean> {
    const subject = code === '30034' ? failedFrom : this.config.twilio.accountSid;
    if (!(await this.failures.claim(AT_ONCE_GUARD(code, subject), failedSid, this.config.alerts.ownerWindowMs))) return false;
    const base = { alert_id: `now-${failedSid}`, created_at: now.toISOString(), error_code: code, meaning };
    const alert: OwnerAlert =
      code === '30034'
        ? {
            ...base,
            type: 'sender_not_registered',
            phone_number: failedFrom,
            text: `Maskline: carriers refuse texts from ${failedFrom} (30034: not registered for A2P 10DLC). Every text from it will fail until it joins the registered Messaging Service.`,
          }
        : {
            ...base,
            type: 'account_suspended',
            account_sid: subject,
            text: `Maskline: Twilio reports the account ${subject} suspended (30002). Every text will fail until Twilio reactivates it.`,
          };
    await this.sendToOwner(alert, failedFrom);
    return true;
  }

  private async sendToOwner(alert: OwnerAlert, avoidSender: string): Promise<void> {
    const { ownerWebhookUrl, ownerPhone, webhookRetryMs } = this.config.alerts;
    this.logger.warn(`Owner alert ${alert.alert_id} (${alert.type}) raised`);
    await this.audit.record({ eventType: 'owner_alert_raised', category: 'delivery', severity: 'error', details: { alert_id: alert.alert_id, type: alert.type, webhook: !!ownerWebhookUrl, sms: !!ownerPhone, error_code: alert.error_code ?? null, failures: alert.failures ?? null } });
    if (ownerWebhookUrl) {
      await this.jobs.queue(JobName.AlertOwnerWebhook, { alert }, { ...ALERT_RETENTION, jobId: `owner-webhook-${alert.alert_id}`, attempts: 10, backoff: { type: 'exponential', delay: webhookRetryMs } });
    }
    if (ownerPhone) {
      await this.queueSms(`owner-sms-${alert.alert_id}`, {
        direction: 'alert',
        audience: 'owner',
        about: alert.alert_id,
        sessionId: null,
        inboundSid: alert.alert_id,
        from: await this.ownerSender(avoidSender),
        to: ownerPhone,
        body: truncateText(alert.text, 320),
        mediaUrls: [],
      });
    }
  }

  /** a ready pool number other than the one that failed (it may be the refused one), else that one */
  private async ownerSender(avoid: string): Promise<string> {
    const pool = await this.numbers.listReadyPool();
    return pool.find((n) => n.phoneNumber && n.phoneNumber !== avoid)?.phoneNumber ?? avoid;
  }

  private async queueSms(jobId: string, data: AlertSmsJobData): Promise<void> {
    await this.jobs.queue(JobName.AlertSms, data, { ...ALERT_RETENTION, jobId, attempts: this.config.relay.sendAttempts, backoff: { type: 'exponential', delay: 1_000 } });
  }

  @OnJob(JobName.AlertSms)
  async sendAlertSms(job: JobOf<JobName.AlertSms>): Promise<SentMessage> {
    const sent = await this.relay.sendOnce(job);
    const { audience, about, to, sessionId } = job.data;
    this.logger.log(`Alert ${job.id} sent to the ${audience} ${maskPhone(to)} (${sent.sid})`);
    await this.audit.record({
      eventType: audience === 'sitter' ? 'sitter_alert_sent' : 'owner_alert_sent',
      category: 'delivery',
      severity: 'warning',
      details: { channel: 'sms', about, message_sid: sent.sid, session_id: sessionId },
      phoneNumber: maskPhone(to),
    });
    return sent;
  }

  /** a non-2xx answer fails the attempt: BullMQ calls again with back-off; a 2xx is remembered so a re-run never posts twice */
  @OnJob(JobName.AlertOwnerWebhook)
  async postOwnerWebhook(job: JobOf<JobName.AlertOwnerWebhook>): Promise<{ status: number | 'already_delivered' }> {
    const url = this.config.alerts.ownerWebhookUrl;
    if (!url) return { status: 'already_delivered' };
    if (await this.redis.client.exists(WEBHOOK_DONE(job.id!))) return { status: 'already_delivered' };
    const answer = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(job.data.alert),
      signal: AbortSignal.timeout(WEBHOOK_TIMEOUT_MS),
    });
    await answer.body?.cancel();
    if (!answer.ok) {
      this.logger.warn(`Owner webhook answered ${answer.status} to alert ${job.data.alert.alert_id} (attempt ${job.attemptsMade + 1}); called again later`);
      throw new Error(`owner webhook answered HTTP ${answer.status}`);
    }
    await this.redis.client.set(WEBHOOK_DONE(job.id!), String(answer.status), 'EX', 30 * 24 * 3600);
    await this.audit.record({ eventType: 'owner_alert_sent', category: 'delivery', severity: 'warning', details: { channel: 'webhook', alert_id: job.data.alert.alert_id, type: job.data.alert.type, attempts: job.attemptsMade + 1 } });
    return { status: answer.status };
  }
}

/** counts by code, the clients with the most failures (by label), and the first examples of the window */
export function summaryAlert(alertId: string, failures: ListedFailure[], opts: { windowHours: number; threshold: number; now: Date }): OwnerAlert {
  const byCode = new Map<string | null, { meaning: string; count: number }>();
  const byClient = new Map<string, number>();
  for (const f of failures) {
    const entry = byCode.get(f.errorCode) ?? { meaning: f.meaning, count: 0 };
    entry.count += 1;
    byCode.set(f.errorCode, entry);
    if (f.clientLabel) byClient.set(f.clientLabel, (byClient.get(f.clientLabel) ?? 0) + 1);
  }
  const counts = [...byCode].map(([error_code, e]) => ({ error_code, meaning: e.meaning, count: e.count })).sort((a, b) => b.count - a.count);
  const worst = [...byClient].map(([client_label, n]) => ({ client_label, failures: n })).sort((a, b) => b.failures - a.failures).slice(0, SUMMARY_WORST_CLIENTS);
  const hours = Number(opts.windowHours.toFixed(2));
  const codes = counts.map((c) => `${c.error_code ?? 'no code'} x${c.count}`).join(', ');
  const worstText = worst.length ? ` Most affected: ${worst.map((w) => `${w.client_label} (${w.failures})`).join(', ')}.` : '';
  return {
    alert_id: alertId,
    type: 'delivery_failures_summary',
    text: `Maskline: ${failures.length} texts failed for good in the last ${hours} h (more than ${opts.threshold}): ${codes}.${worstText} Details: GET /messages/failures`,
    created_at: opts.now.toISOString(),
    window_hours: hours,
    threshold: opts.threshold,
    failures: failures.length,
    counts_by_code: counts,
    worst_clients: worst,
    examples: failures.slice(0, SUMMARY_EXAMPLES).map((f) => ({ message_sid: f.messageSid, failed_at: f.failedAt, error_code: f.errorCode, meaning: f.meaning, direction: f.direction, client_label: f.clientLabel })),
  };
}
