import { Injectable, Logger } from '@nestjs/common';
import { DistributedLock, LockNotAcquiredError } from '@maskline/redis';
import { InventoryNumber, Lifecycle, NumberRepository, SitterRepository } from '@maskline/store';
import { ConflictError, NotFoundError, ValidationFailedError } from '../../common/http/app-errors';
import { PurchaseBudget } from '../redis/purchase-budget';
import { BeforeEnqueue, PurchaseIntake } from './purchase-intake';
import { PurchaseJobQueue } from './purchase-job.queue';

export interface PurchaseRequest {
  lifecycle: Lifecycle;
  areaCode: string;
  quantity: number;
  sitterId?: string | null;
  reason?: string | null;
  /** runs after the records exist and before their jobs are queued (e.g. naming them in the cooldown guard) */
  beforeEnqueue?: BeforeEnqueue;
}

/**
 * The producer side of the purchase pipeline: checks, writes `quantity`
 * pending records, queues one job per record, and returns at once. No Twilio
 * call happens here; every purchase, whoever asks, goes through `request`.
 */
@Injectable()
export class NumberPurchaseService {
  private readonly logger = new Logger(NumberPurchaseService.name);

  constructor(
    private readonly numbers: NumberRepository,
    private readonly intake: PurchaseIntake,
    private readonly jobs: PurchaseJobQueue,
    private readonly sitters: SitterRepository,
    private readonly budget: PurchaseBudget,
    private readonly lock: DistributedLock,
  ) {}

  async request(req: PurchaseRequest): Promise<InventoryNumber[]> {
    await this.checkSitter(req);
    const input = { lifecycle: req.lifecycle, areaCode: req.areaCode, sitterId: req.sitterId ?? null, purchaseReason: req.reason ?? null };
    const created = await this.intake.submit(Array.from({ length: req.quantity }, () => input), req.beforeEnqueue);
    this.logger.log(`Queued ${created.length} ${req.lifecycle} purchase(s) in area code ${req.areaCode}`);
    return created;
  }

  async progress(numberId: string): Promise<InventoryNumber> {
    const number = await this.numbers.findById(numberId);
    if (!number) throw new NotFoundError('number', numberId);
    return number;
  }

  /** a failed record goes back to pending and its job runs again (same purchase token, so nothing is bought twice) */
  async retry(numberId: string): Promise<InventoryNumber> {
    try {
      return await this.lock.withLock(`number-retry-${numberId}`, () => this.retryUnderLock(numberId), { ttlMs: 15_000, waitMs: 2_000 });
    } catch (error) {
      if (error instanceof LockNotAcquiredError) throw new ConflictError(`A retry of number ${numberId} is already in progress`, { number_inventory_id: numberId });
      throw error;
    }
  }

  private async retryUnderLock(numberId: string): Promise<InventoryNumber> {
    const number = await this.progress(numberId);
    if (number.status !== 'failed') {
      throw new ConflictError(`Number ${numberId} is ${number.status}; only a failed purchase can be retried`, { number_inventory_id: numberId, status: number.status });
    }
    const reservation = await this.budget.reserve(1);
    let reset: InventoryNumber;
    try {
      reset = await this.numbers.resetForRetry(numberId);
    } catch (error) {
      await this.budget.refund(reservation);
      throw error;
    }
    await this.jobs.queueAll([reset], true);
    return reset;
  }

  private async checkSitter(req: PurchaseRequest): Promise<void> {
    if (!req.sitterId) return;
    if (req.lifecycle !== 'reserved') throw ValidationFailedError.single('sitter_id', 'sitter_id is only accepted with lifecycle "reserved"');
    if (req.quantity !== 1) throw ValidationFailedError.single('quantity', 'a sitter gets one reserved number: quantity must be 1 when sitter_id is given');
    const sitter = await this.sitters.findById(req.sitterId);
    if (!sitter) throw new NotFoundError('sitter', req.sitterId);
    const held = await this.numbers.findReservedForSitter(req.sitterId);
    if (held) {
      throw new ConflictError(`Sitter ${req.sitterId} already has a reserved number (${held.status})`, { sitter_id: req.sitterId, number_inventory_id: held.id });
    }
  }
}
