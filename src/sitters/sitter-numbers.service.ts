import { Injectable, Logger } from '@nestjs/common';
import { AppConfig } from '@maskline/config';
import { DistributedLock, LockNotAcquiredError } from '@maskline/redis';
import { AuditLog, InventoryNumber, NumberRepository, Sitter, SitterRepository, UniqueConflictError } from '@maskline/store';
import { ConflictError, NotFoundError } from '../common/http/app-errors';
import { InventorySchedules } from '../inventory/capacity/inventory-schedules';
import { NumberPurchaseService } from '../inventory/purchase/number-purchase.service';
import { SessionService } from '../sessions/session.service';

export type AttachPath = 'A' | 'B' | 'existing';

export interface AttachResult {
  path: AttachPath;
  sitter: Sitter;
  number: InventoryNumber;
}

export type DetachResult =
  | { action: 'detached'; sitter: Sitter; number: InventoryNumber; closedSessions: number }
  | { action: 'none'; reason: 'no_reserved_number'; sitter: Sitter; closedSessions: 0 };

// A ready standby number may be taken by another sitter between our read and
// our claim; a few more looks find the next one.
const STANDBY_CLAIM_TRIES = 3;

/**
 * Sitter number routine (seed Zap 2, paths A/B/C). Each call runs under a
 * per-sitter lock and starts by looking at what the sitter already holds, so
 * repeated or concurrent calls never give a sitter two numbers.
 */
@Injectable()
export class SitterNumbersService {
  private readonly logger = new Logger(SitterNumbersService.name);

  constructor(
    private readonly numbers: NumberRepository,
    private readonly sitters: SitterRepository,
    private readonly sessions: SessionService,
    private readonly purchases: NumberPurchaseService,
    private readonly audit: AuditLog,
    private readonly lock: DistributedLock,
    private readonly config: AppConfig,
    private readonly schedules: InventorySchedules,
  ) {}

  /** `areaCode` is for a path B purchase (default: first of AREA_CODES) */
  attach(sitterId: string, areaCode = this.config.inventory.areaCodes[0]): Promise<AttachResult> {
    return this.underSitterLock(sitterId, async () => {
      const sitter = await this.requireSitter(sitterId);
      const held = await this.numbers.findReservedForSitter(sitterId);
      if (held) return { path: 'existing', sitter: await this.linkIfReady(sitter, held), number: held };

      const standby = await this.claimStandby(sitterId);
      if (standby) return this.finishPathA(sitter, standby);

      // Path B: the worker attaches the number and activates the sitter once bought
      const [pending] = await this.purchases.request({ lifecycle: 'reserved', areaCode, quantity: 1, sitterId, reason: 'attach-number: no standby number was ready' });
      this.logger.log(`Sitter ${sitterId}: no standby number ready, reserved number ${pending.id} queued (path B)`);
      return { path: 'B', sitter, number: pending };
    });
  }

  /** Path C: the number goes back to standby, its sessions close, the sitter becomes inactive */
  detach(sitterId: string): Promise<DetachResult> {
    return this.underSitterLock(sitterId, async () => {
      const sitter = await this.requireSitter(sitterId);
      const held = await this.numbers.findReservedForSitter(sitterId);
      if (!held) {
        // a repeat, or a detach that died after returning the number: finish the sitter side
        const settled = sitter.reservedNumber || sitter.status === 'active' ? await this.sitters.setReservedNumber(sitterId, null, 'inactive') : sitter;
        return { action: 'none', reason: 'no_reserved_number', sitter: settled, closedSessions: 0 };
      }
      if (held.status !== 'ready' || !held.phoneNumber) {
        throw new ConflictError(`Sitter ${sitterId}'s reserved number is still being bought; detach it once it is ready`, { number_inventory_id: held.id, status: held.status });
      }
      const closedSessions = await this.sessions.closeAllThrough(held.phoneNumber, 'number_detached');
      const returned = await this.numbers.returnToStandby(held.id);
      const updated = await this.sitters.setReservedNumber(sitterId, null, 'inactive');
      await this.audit.record({
        eventType: 'number_detached',
        category: 'inventory',
        details: { path: 'C', closed_sessions: closedSessions, lifecycle: 'standby' },
        numberId: held.id,
        sitterId,
        phoneNumber: held.phoneNumber,
      });
      return { action: 'detached', sitter: updated, number: returned, closedSessions };
    });
  }

  private async finishPathA(sitter: Sitter, standby: InventoryNumber): Promise<AttachResult> {
    const updated = await this.sitters.setReservedNumber(sitter.id, standby.phoneNumber, 'active');
    await this.audit.record({
      eventType: 'number_assigned',
      category: 'inventory',
      details: { path: 'A', from: 'standby' },
      numberId: standby.id,
      sitterId: sitter.id,
      phoneNumber: standby.phoneNumber,
    });
    try {
      await this.schedules.requestStandbyReplenish('Standby keeper: standby number given to a sitter');
    } catch (error) {
      // the sitter has the number; the standby schedule catches up if this request was lost
      this.logger.warn(`Sitter ${sitter.id}: standby replenish could not be queued: ${(error as Error).message}`);
    }
    return { path: 'A', sitter: updated, number: standby };
  }

  private async claimStandby(sitterId: string): Promise<InventoryNumber | null> {
    for (let i = 0; i < STANDBY_CLAIM_TRIES; i++) {
      const candidate = await this.numbers.findFirstReadyStandby();
      if (!candidate) return null;
      const claimed = await this.numbers.assignStandbyToSitter(candidate.id, sitterId);
      if (claimed) return claimed;
    }
    return null;
  }

  /** a ready reserved number whose sitter side was never written (crash between the two writes) */
  private async linkIfReady(sitter: Sitter, held: InventoryNumber): Promise<Sitter> {
    if (held.status !== 'ready' || !held.phoneNumber) return sitter;
    if (sitter.reservedNumber === held.phoneNumber && sitter.status === 'active') return sitter;
    return this.sitters.setReservedNumber(sitter.id, held.phoneNumber, 'active');
  }

  private async requireSitter(sitterId: string): Promise<Sitter> {
    const sitter = await this.sitters.findById(sitterId);
    if (!sitter) throw new NotFoundError('sitter', sitterId);
    return sitter;
  }

  private async underSitterLock<T>(sitterId: string, fn: () => Promise<T>): Promise<T> {
    try {
      return await this.lock.withLock(`sitter-number-${sitterId}`, fn, { ttlMs: 30_000, waitMs: 20_000 });
    } catch (error) {
      if (error instanceof LockNotAcquiredError) throw new ConflictError(`Another number change for sitter ${sitterId} is in progress; retry shortly`);
      // the store's last word on "one reserved number per sitter", should a caller bypass the lock
      if (error instanceof UniqueConflictError) throw new ConflictError(`Sitter ${sitterId} already has a reserved number`, { sitter_id: sitterId });
      throw error;
    }
  }
}
