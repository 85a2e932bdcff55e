import { Injectable, Logger } from '@nestjs/common';
import { AppConfig } from '@maskline/config';
import { DistributedLock, LockNotAcquiredError } from '@maskline/redis';
import { AuditLog, InventoryNumber, NumberRepository, SessionRepository, SitterRepository } from '@maskline/store';
import { retryTransient, TelephonyError, TelephonyGateway } from '@maskline/telephony';
import { ConflictError, DependencyUnavailableError, NotFoundError } from '../../common/http/app-errors';
import { maskPhone } from '../../common/phone/phone';
import { ProxyServiceRef } from '../purchase/proxy-service-ref';

export interface ReleaseOutcome {
  number: InventoryNumber;
  /** it was released before this call: nothing was done */
  alreadyReleased: boolean;
}

/**
 * Retires a number the business no longer needs (each costs money every
 * month): taken out of the Proxy and Messaging services, deleted from the
 * Twilio account and marked `released`. Only a
 * standby or pool number that nothing holds: no pending purchase job, no
 * sitter, no active session. The record leaves the ready pool before Twilio
 * is called, so no new session can pick it meanwhile; a session that got it
 * just before is caught by a second look, and any refusal puts the record
 * back as it was.
 */
@Injectable()
export class NumberRetirementService {
  private readonly logger = new Logger(NumberRetirementService.name);

  constructor(
    private readonly numbers: NumberRepository,
    private readonly sessions: SessionRepository,
    private readonly sitters: SitterRepository,
    private readonly telephony: TelephonyGateway,
    private readonly audit: AuditLog,
    private readonly lock: DistributedLock,
    private readonly config: AppConfig,
    private readonly proxyService: ProxyServiceRef,
  ) {}

  async release(numberId: string): Promise<ReleaseOutcome> {
    try {
      return await this.lock.withLock(`number-release-${numberId}`, () => this.releaseUnderLock(numberId), { ttlMs: 5 * 60_000, waitMs: 2_000 });
    } catch (error) {
      if (error instanceof LockNotAcquiredError) throw new ConflictError(`A release of number ${numberId} is already in progress`, { number_inventory_id: numberId });
      throw error;
    }
  }

  private async releaseUnderLock(numberId: string): Promise<ReleaseOutcome> {
    const number = await this.numbers.findById(numberId);
    if (!number) throw new NotFoundError('number', numberId);
    if (number.status === 'released') return { number, alreadyReleased: true };
    await this.refuseIfHeld(number);

    const previous = number.status;
    const claimed = await this.numbers.changeStatus(number.id, previous, 'released');
    if (!claimed) throw new ConflictError(`Number ${number.id} changed while it was being released; look again and retry`, { number_inventory_id: number.id });
    try {
      await this.refuseIfHeld(claimed);
      if (number.twilioSid) await this.deleteAtTwilio(number);
    } catch (error) {
      await this.numbers.changeStatus(number.id, 'released', previous);
      throw error;
    }

    await this.audit.record({
      eventType: 'number_released',
      category: 'inventory',
      details: { lifecycle: number.lifecycle, previous_status: previous, twilio_sid: number.twilioSid },
      numberId: number.id,
      phoneNumber: number.phoneNumber,
    });
    this.logger.log(`Number ${number.id} (${maskPhone(number.phoneNumber)}) released`);
    return { number: claimed, alreadyReleased: false };
  }

  /** 409 naming what still uses the number */
  private async refuseIfHeld(number: InventoryNumber): Promise<void> {
    const held = (holder: string, details: Record<string, unknown> = {}) =>
      new ConflictError(`Number ${number.id} is in use: ${holder}`, { number_inventory_id: number.id, ...details }, 'number_in_use');
    if (number.status === 'pending') throw held(`its purchase is still running (job ${number.jobId ?? 'queued'})`, { status: 'pending', job_id: number.jobId });
    if (number.lifecycle === 'reserved') throw held(`it is sitter ${number.sitterId}'s reserved number`, { sitter_id: number.sitterId });
    if (!number.phoneNumber) return;
    const sitter = await this.sitters.findByReservedNumber(number.phoneNumber);
    if (sitter) throw held(`it is sitter ${sitter.id}'s reserved number`, { sitter_id: sitter.id });
    const sessions = await this.sessions.countActiveByPoolNumber(number.phoneNumber);
    if (sessions > 0) throw held(`${sessions} active session(s) relay through it`, { active_sessions: sessions });
  }

  /**
   * Out of the services first (Proxy, then the A2P Messaging Service), then
   * off the account: a failure part-way leaves a number still owned, never a
   * service listing a number the account no longer has. Each step treats
   * "already gone" (404) as done, so a retry after a failure redoes nothing.
   */
  private async deleteAtTwilio(number: InventoryNumber): Promise<void> {
    const sid = number.twilioSid!;
    const messagingServiceSid = this.config.twilio.messagingServiceSid;
    const step = (call: () => Promise<void>) => retryTransient(call, { budgetMs: Math.min(this.config.twilio.transientRetryBudgetMs, 20_000) });
    try {
      if (this.proxyService.enabled) await step(() => this.telephony.removeNumberFromProxyService(this.proxyService.sid, sid));
      if (messagingServiceSid) await step(() => this.telephony.removeNumberFromMessagingService(messagingServiceSid, sid));
      await step(() => this.telephony.releaseNumber(sid));
    } catch (error) {
      if (!(error instanceof TelephonyError)) throw error;
      throw new DependencyUnavailableError(`Twilio did not release number ${number.id} (${error.code ?? error.status ?? 'no answer'}); nothing changed, try again`, {
        number_inventory_id: number.id,
        twilio_code: error.code,
      });
    }
  }
}
