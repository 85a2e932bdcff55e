import { Injectable, Logger, Optional } from '@nestjs/common';
import type { JobsOptions } from 'bullmq';
import { AppConfig } from '@maskline/config';
import { JobName, JobQueue } from '@maskline/jobs';
import { Metrics } from '@maskline/metrics';
import { DistributedLock, LockNotAcquiredError } from '@maskline/redis';
import { CreatePendingNumberInput, InventoryNumber, Lifecycle, NumberRepository, SitterRepository } from '@maskline/store';
import { ConflictError, LimitReachedError, NotFoundError, ValidationFailedError } from '../../common/http/app-errors';
import { BudgetReservation, PurchaseBudget } from './purchase-budget';

declare module '@maskline/jobs' {
  interface JobDataMap {
    /** buy the number one pending Number record describes (handler: NumberFulfilmentService.runPurchaseJob) */
    [JobName.PurchaseNumber]: PurchaseJobData;
  }
}

export interface PurchaseJobData {
  numberId: string;
}

// In this file, in the order Nest needs them: the purchase jobs, the intake that
// batches requests into them, and NumberPurchaseService, the entry every purchase goes through.

// First retry after 2 s, then 4, 8, 16...: Twilio's 429s and 5xx clear within seconds to minutes.
const BACKOFF_MS = 2000;

/**
 * One job per record, with an id derived from the record: adding it twice is
 * a no-op, and the record's answer can name its job before it runs. Ids must
 * not contain `:` (BullMQ); record ids are UUIDs or Airtable rec ids.
 */
export function purchaseJobId(numberId: string): string {
  return `purchase-${numberId}`;
}

function purchaseJobOptions(numberId: string, attempts: number): JobsOptions {
  return { jobId: purchaseJobId(numberId), attempts, backoff: { type: 'exponential', delay: BACKOFF_MS } };
}

const NOT_QUEUED_MESSAGE = 'The purchase could not be queued (Redis unavailable); retry it with POST /numbers/:id/retry';

/** The purchase jobs of pending Number records: one job per record, named after it. */
@Injectable()
export class PurchaseJobQueue {
  constructor(
    private readonly numbers: NumberRepository,
    private readonly config: AppConfig,
    private readonly jobs: JobQueue,
  ) {}

  /**
   * Queues the job of every record in one Redis round trip. A record without
   * a job would stay pending for ever (and block the pool's "pending_exists"
   * rule): when Redis refuses the jobs, the records are marked failed,
   * retryable, before the error (503) goes out.
   */
  async queueAll(created: InventoryNumber[], replaceFinished = false): Promise<void> {
    const attempts = this.config.inventory.purchaseAttempts;
    try {
      if (replaceFinished) await Promise.all(created.map((n) => this.jobs.removeFinished(JobName.PurchaseNumber, purchaseJobId(n.id))));
      await this.jobs.queueAll(created.map((n) => ({ name: JobName.PurchaseNumber, data: { numberId: n.id }, options: purchaseJobOptions(n.id, attempts) })));
    } catch (error) {
      await this.markUnqueued(created);
      throw error;
    }
  }

  async markUnqueued(created: InventoryNumber[]): Promise<void> {
    await Promise.all(created.map((n) => this.numbers.markFailed(n.id, null, NOT_QUEUED_MESSAGE).catch(() => undefined)));
  }
}

/** runs after a request's records exist and before their jobs are queued; a throw fails the request */
export type BeforeEnqueue = (created: InventoryNumber[]) => Promise<void>;

interface Submitted {
  inputs: CreatePendingNumberInput[];
  beforeEnqueue?: BeforeEnqueue;
  resolve(created: InventoryNumber[]): void;
  reject(error: unknown): void;
}

/** a request the daily cap let through */
interface Reserved {
  request: Submitted;
  reservation: BudgetReservation;
}

/** a request whose pending records exist */
interface Written {
  request: Submitted;
  created: InventoryNumber[];
}

// Rows per write; Airtable's driver splits writes into its own batches of 10.
const MAX_ROWS = 100;

/**
 * Takes in purchase requests: each is counted against the daily cap
 * (MAX_PURCHASES_PER_DAY), gets its pending Number records, and has one
 * purchase job queued per record, or fails with nothing past the cap and no
 * record left without a job.
 *
 * Group commit: requests arriving while a batch is in flight go together in
 * the next one, so a burst of purchase calls costs, per batch, one cap check,
 * one multi-row insert and one bulk job add instead of one of each per
 * request (the embedded PGlite runs on the event loop; Airtable allows
 * 5 requests/s per base). Requests naming a sitter (their one-reserved-number
 * rule may refuse a write, and a batch is all or nothing) and requests with
 * a `beforeEnqueue` step go alone. If a shared write fails, each request's
 * rows are written on their own, so one request's failure never becomes
 * another's.
 */
@Injectable()
export class PurchaseIntake {
  private waiting: Submitted[] = [];
  private flushing = false;

  constructor(
    private readonly numbers: NumberRepository,
    private readonly budget: PurchaseBudget,
    private readonly jobs: PurchaseJobQueue,
  ) {}

  submit(inputs: CreatePendingNumberInput[], beforeEnqueue?: BeforeEnqueue): Promise<InventoryNumber[]> {
    return new Promise((resolve, reject) => {
      const request: Submitted = { inputs, beforeEnqueue, resolve, reject };
      if (beforeEnqueue || inputs.some((i) => i.sitterId)) {
        void this.take([request]);
        return;
      }
      this.waiting.push(request);
      if (!this.flushing) {
        this.flushing = true;
        // let the requests of this I/O turn join the first batch
        setImmediate(() => void this.flush());
      }
    });
  }

  private async flush(): Promise<void> {
    while (this.waiting.length > 0) await this.take(this.nextBatch());
    this.flushing = false;
  }

  /** settles every request of the batch; never throws */
  private async take(batch: Submitted[]): Promise<void> {
    const written = await this.write(await this.reserve(batch));
    const queued: Written[] = [];
    await Promise.all(
      written.map(async (w) => {
        try {
          await w.request.beforeEnqueue?.(w.created);
          queued.push(w);
        } catch (error) {
          await this.jobs.markUnqueued(w.created);
          w.request.reject(error);
        }
      }),
    );
    try {
      await this.jobs.queueAll(queued.flatMap((q) => q.created));
      queued.forEach((q) => q.request.resolve(q.created));
    } catch (error) {
      queued.forEach((q) => q.request.reject(error));
    }
  }

  /** the requests the cap lets through, with their reservations; the others are refused */
  private async reserve(batch: Submitted[]): Promise<Reserved[]> {
    let decisions: Awaited<ReturnType<PurchaseBudget['reserveEach']>>;
    try {
      decisions = await this.budget.reserveEach(batch.map((r) => r.inputs.length));
    } catch (error) {
      batch.forEach((r) => r.reject(error));
      return [];
    }
    const accepted: Reserved[] = [];
    batch.forEach((request, i) => {
      const decision = decisions[i];
      if (decision instanceof Error) request.reject(decision);
      else accepted.push({ request, reservation: decision });
    });
    return accepted;
  }

  /** the requests whose records were written, with them; a failed write refunds its reservation */
  private async write(accepted: Reserved[]): Promise<Written[]> {
    if (accepted.length === 0) return [];
    try {
      const created = await this.numbers.createPending(accepted.flatMap((a) => a.request.inputs));
      let offset = 0;
      return accepted.map(({ request }) => {
        offset += request.inputs.length;
        return { request, created: created.slice(offset - request.inputs.length, offset) };
      });
    } catch (error) {
      if (accepted.length === 1) {
        await this.refundAndReject(accepted[0], error);
        return [];
      }
      const alone = await Promise.all(
        accepted.map(async (a) => {
          try {
            return { request: a.request, created: await this.numbers.createPending(a.request.inputs) };
          } catch (e) {
            await this.refundAndReject(a, e);
            return null;
          }
        }),
      );
      return alone.filter((w) => w !== null);
    }
  }

  private async refundAndReject(a: Reserved, error: unknown): Promise<void> {
    await this.budget.refund(a.reservation);
    a.request.reject(error);
  }

  private nextBatch(): Submitted[] {
    let rows = 0;
    let count = 0;
    while (count < this.waiting.length && (count === 0 || rows + this.waiting[count].inputs.length <= MAX_ROWS)) {
      rows += this.waiting[count].inputs.length;
      count += 1;
    }
    return this.waiting.splice(0, count);
  }
}

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
 * Below it in this file: the intake that batches requests and the purchase
 * jobs it queues (the worker side is NumberFulfilmentService).
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
    @Optional() private readonly metrics?: Metrics,
  ) {}

  async request(req: PurchaseRequest): Promise<InventoryNumber[]> {
    await this.checkSitter(req);
    const input = { lifecycle: req.lifecycle, areaCode: req.areaCode, sitterId: req.sitterId ?? null, purchaseReason: req.reason ?? null };
    const created = await this.intake.submit(Array.from({ length: req.quantity }, () => input), req.beforeEnqueue).catch((error: unknown) => {
      if (error instanceof LimitReachedError) this.metrics?.purchase('cap_reached', req.quantity);
      throw error;
    });
    this.metrics?.purchase('requested', created.length);
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
