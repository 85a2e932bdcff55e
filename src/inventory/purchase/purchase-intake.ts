import { Injectable } from '@nestjs/common';
import { CreatePendingNumberInput, InventoryNumber, NumberRepository } from '@maskline/store';
import { BudgetReservation, PurchaseBudget } from '../redis/purchase-budget';
import { PurchaseJobQueue } from './purchase-job.queue';

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
