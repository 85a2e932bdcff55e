import { Injectable, Logger, Optional } from '@nestjs/common';
import { UnrecoverableError } from 'bullmq';
import { AppConfig } from '@maskline/config';
import { JobName, JobOf, OnJob } from '@maskline/jobs';
import { Metrics } from '@maskline/metrics';
import { AuditLog, InventoryNumber, NumberRepository, SitterRepository } from '@maskline/store';
import { AvailableNumber, OwnedNumber, retryTransient, TelephonyError, TelephonyGateway } from '@maskline/telephony';
import { maskPhone } from '../../common/phone/phone';
import { PoolCooldown } from '../capacity/pool-cooldown';
import { areaCodePlan, candidateOrder, classifyPurchaseFailure, NO_NUMBERS_IN_AREA_CODE, NUMBER_NOT_AVAILABLE } from './purchase-plan';
import { PoolNumberReadyListeners } from './pool-number-ready.listeners';
import { MessagingServiceMembership, RelaySetupService } from './relay-setup.service';

export type FulfilOutcome = 'bought' | 'adopted' | 'already_ready' | 'skipped';

// How many numbers of one search answer to try before moving to the next
// area code: enough to outlast a few concurrent buyers, few enough to stay quick.
const SEARCH_SIZE = 20;
const CANDIDATES_PER_AREA_CODE = 5;

/**
 * The worker side of a purchase: turns one pending Number record into a
 * bought, relay-ready number. Every step can run again (retries, stalled
 * jobs, a worker killed mid-job): the purchase token in FriendlyName lets a
 * re-run adopt what an earlier run bought instead of buying again.
 */
@Injectable()
export class NumberFulfilmentService {
  private readonly logger = new Logger(NumberFulfilmentService.name);

  constructor(
    private readonly numbers: NumberRepository,
    private readonly sitters: SitterRepository,
    private readonly audit: AuditLog,
    private readonly telephony: TelephonyGateway,
    private readonly relaySetup: RelaySetupService,
    private readonly messagingService: MessagingServiceMembership,
    private readonly cooldown: PoolCooldown,
    private readonly poolReady: PoolNumberReadyListeners,
    private readonly config: AppConfig,
    @Optional() private readonly metrics?: Metrics,
  ) {}

  /**
   * Transient Twilio failures (429, 5xx, timeouts) are retried inside the
   * step that met them, for minutes (TWILIO_RETRY_BUDGET_SECONDS), honouring
   * Retry-After; what is still failing after that, and store or Redis
   * failures, go back to BullMQ, which retries the job with back-off. A
   * permanent failure, or the last attempt, marks the record failed.
   */
  @OnJob(JobName.PurchaseNumber)
  async runPurchaseJob(job: JobOf<JobName.PurchaseNumber>): Promise<FulfilOutcome> {
    try {
      return await this.fulfil(job.data.numberId, job.id!);
    } catch (error) {
      const lastAttempt = job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
      if (classifyPurchaseFailure(error) === 'retry' && !lastAttempt) {
        this.logger.warn(`Purchase of number ${job.data.numberId} will be retried (attempt ${job.attemptsMade + 1}): ${(error as Error).message}`);
        throw error;
      }
      await this.fail(job.data.numberId, error);
      throw new UnrecoverableError((error as Error).message);
    }
  }

  async fulfil(numberId: string, jobId: string): Promise<FulfilOutcome> {
    const number = await this.numbers.findById(numberId);
    if (!number || number.status === 'failed' || number.status === 'released') return 'skipped';
    if (number.status === 'ready') {
      // a re-run after the record was marked: finish the follow-ups that may not have happened
      await this.afterReady(number);
      return 'already_ready';
    }
    if (number.jobId !== jobId) await this.numbers.setJobId(number.id, jobId);

    const earlier = await this.step(number, 'look for an earlier purchase', () => this.findBoughtEarlier(number.purchaseToken));
    const { owned, adopted } = earlier ? { owned: earlier, adopted: true } : await this.buy(number);
    const verificationResult = await this.step(number, 'configure', () => this.relaySetup.configure(owned, number.lifecycle));
    await this.joinMessagingService(number, owned);
    const purchasedAt = Number.isNaN(owned.dateCreated?.getTime()) ? new Date() : owned.dateCreated;
    const ready = await this.numbers.markReady(number.id, { phoneNumber: owned.phoneNumber, twilioSid: owned.sid, purchasedAt, verificationResult });

    await this.audit.record({
      eventType: 'number_purchased',
      category: 'inventory',
      details: { lifecycle: ready.lifecycle, requested_area_code: number.areaCode, reason: number.purchaseReason, adopted, verification: verificationResult },
      numberId: ready.id,
      sitterId: ready.sitterId,
      phoneNumber: ready.phoneNumber,
    });
    this.metrics?.purchase('ready');
    this.logger.log(`Number ${ready.id} ready: ${maskPhone(ready.phoneNumber)} (${ready.lifecycle}${adopted ? ', adopted after a retry' : ''})`);
    await this.afterReady(ready);
    return adopted ? 'adopted' : 'bought';
  }

  /** one more step before `ready`; a permanent refusal fails the record, keeps the number, and a retry redoes only this */
  private async joinMessagingService(number: InventoryNumber, owned: OwnedNumber): Promise<void> {
    const serviceSid = this.messagingService.serviceSid;
    if (!serviceSid) return;
    let membership: 'joined' | 'already_member' | null;
    try {
      membership = await this.step(number, 'join the Messaging Service', () => this.messagingService.join(owned));
    } catch (error) {
      if (!(error instanceof TelephonyError) || error.retryable) throw error;
      await this.audit.record({
        eventType: 'messaging_service_join_failed',
        category: 'inventory',
        severity: 'error',
        details: { service_sid: serviceSid, number_sid: owned.sid, error_code: error.code, error_message: error.message },
        numberId: number.id,
        phoneNumber: owned.phoneNumber,
      });
      throw new TelephonyError(`Messaging Service ${serviceSid} refused the number (it stays bought; retry with POST /numbers/${number.id}/retry): ${error.message}`, error.code, error.status);
    }
    await this.audit.record({
      eventType: 'messaging_service_joined',
      category: 'inventory',
      details: { service_sid: serviceSid, number_sid: owned.sid, already_member: membership === 'already_member' },
      numberId: number.id,
      phoneNumber: owned.phoneNumber,
    });
  }

  /** permanent failure: the record says why, the audit log has it, and the cooldown guard is given back */
  async fail(numberId: string, error: unknown): Promise<void> {
    const code = error instanceof TelephonyError && error.code !== null ? String(error.code) : null;
    const message = (error as Error).message ?? String(error);
    const failed = await this.numbers.markFailed(numberId, code, message);
    this.metrics?.purchase('failed');
    const cooldown = failed.lifecycle === 'pool' ? await this.cooldown.releaseHolder(numberId) : 'not_holder';
    await this.audit.record({
      eventType: 'number_purchase_failed',
      category: 'inventory',
      severity: 'error',
      details: { lifecycle: failed.lifecycle, area_code: failed.areaCode, error_code: code, error_message: message, cooldown },
      numberId,
      sitterId: failed.sitterId,
    });
    this.logger.error(`Purchase of number ${numberId} failed for good (${code ?? 'no Twilio code'}): ${message}`);
  }

  private async findBoughtEarlier(token: string): Promise<OwnedNumber | null> {
    const owned = await this.telephony.listOwnedNumbers({ friendlyName: token });
    return owned.find((n) => n.friendlyName === token) ?? null;
  }

  /** one Twilio step, retried on its own while it fails transiently */
  private step<T>(number: InventoryNumber, what: string, call: () => Promise<T>): Promise<T> {
    return retryTransient(call, {
      budgetMs: this.config.twilio.transientRetryBudgetMs,
      onRetry: (error, waitMs) => this.logger.warn(`Number ${number.id}: ${what} failed (Twilio ${error.code ?? error.status ?? 'no answer'}); again in ${waitMs} ms`),
    });
  }

  /**
   * Buys one candidate. After a failure that may have taken effect (a timeout,
   * a 5xx), the token is looked up before buying again: the retry adopts
   * what Twilio did buy.
   */
  private buyCandidate(number: InventoryNumber, phoneNumber: string): Promise<{ owned: OwnedNumber; adopted: boolean }> {
    let mayHaveBought = false;
    return this.step(number, 'buy', async () => {
      const earlier = mayHaveBought ? await this.findBoughtEarlier(number.purchaseToken) : null;
      if (earlier) return { owned: earlier, adopted: true };
      try {
        return { owned: await this.telephony.buyNumber(phoneNumber, number.purchaseToken, this.relaySetup.purchaseWebhooks()), adopted: false };
      } catch (error) {
        // a 429 did nothing; a 5xx or a timeout may have bought
        if (error instanceof TelephonyError && error.status !== 429 && error.code !== 20429) mayHaveBought = true;
        throw error;
      }
    });
  }

  /** search (SMS + voice) and buy in the asked area code, then the configured alternates */
  private async buy(number: InventoryNumber): Promise<{ owned: OwnedNumber; adopted: boolean }> {
    const plan = areaCodePlan(number.areaCode, this.config.inventory.areaCodes);
    let lastCode = NO_NUMBERS_IN_AREA_CODE;
    for (const areaCode of plan) {
      const found = await this.step(number, 'search', () => this.searchOrNothing(areaCode));
      const candidates = candidateOrder(found, number.purchaseToken).slice(0, CANDIDATES_PER_AREA_CODE);
      for (const candidate of candidates) {
        try {
          return await this.buyCandidate(number, candidate.phoneNumber);
        } catch (error) {
          const kind = classifyPurchaseFailure(error);
          if (kind === 'next_candidate') {
            lastCode = NUMBER_NOT_AVAILABLE;
            continue;
          }
          if (kind === 'next_area_code') break;
          throw error;
        }
      }
      this.logger.warn(`Number ${number.id}: nothing could be bought in area code ${areaCode}; trying the next one`);
    }
    throw new TelephonyError(`No local number with SMS and voice could be bought in area codes ${plan.join(', ')}`, lastCode, 400);
  }

  private async searchOrNothing(areaCode: string): Promise<AvailableNumber[]> {
    try {
      return await this.telephony.searchLocalNumbers(areaCode, SEARCH_SIZE);
    } catch (error) {
      if (classifyPurchaseFailure(error) === 'next_area_code') return [];
      throw error;
    }
  }

  /** idempotent follow-ups of a ready number */
  private async afterReady(number: InventoryNumber): Promise<void> {
    if (number.lifecycle === 'reserved' && number.sitterId && number.phoneNumber) {
      const sitter = await this.sitters.findById(number.sitterId);
      if (sitter && (sitter.reservedNumber !== number.phoneNumber || sitter.status !== 'active')) {
        await this.sitters.setReservedNumber(sitter.id, number.phoneNumber, 'active');
        await this.audit.record({
          eventType: 'number_assigned',
          category: 'inventory',
          details: { path: 'B', lifecycle: 'reserved' },
          numberId: number.id,
          sitterId: sitter.id,
          phoneNumber: number.phoneNumber,
        });
      }
    }
    if (number.lifecycle === 'pool') await this.poolReady.notify(number);
  }
}
