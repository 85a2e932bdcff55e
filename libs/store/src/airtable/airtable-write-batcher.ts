import { HeldSlot, MAX_RECORDS_PER_WRITE } from './airtable-gateway';
import { sleep } from './airtable-rate-limiter';

/** per item: null when it landed, an Error to fail (and later retry) that item's job alone */
export type BatchOutcome = (Error | null)[];

interface Waiting<T> {
  item: T;
  since: number;
  resolve: () => void;
  reject: (e: unknown) => void;
}

// A batch goes when it holds 10 writes or its oldest has waited MAX_LINGER_MS:
// nobody waits on these writes, and a fuller request leaves budget for the
// message path's reads.
const MAX_LINGER_MS = 1000;
const POLL_MS = 20;

/**
 * Gathers the queued writes the worker is processing at the same time into
 * requests of up to 10 records (Airtable's per-request limit), one request at
 * a time. Record writes take their batch only once a request slot is free,
 * so everything that arrived while waiting for the base rides along. Each job still
 * succeeds or fails on its own, so BullMQ keeps its retry and visibility per write.
 */
export class WriteBatcher<T> {
  private waiting: Waiting<T>[] = [];
  private draining = false;

  /**
   * With holdSlot (writes that always send) the batch is taken once a request
   * slot is free; without it (writes that may find nothing to send) the slot
   * is taken by the request itself, so a batch that sends nothing spends none.
   */
  constructor(
    private readonly send: (items: T[], slot?: HeldSlot) => Promise<BatchOutcome | void>,
    private readonly holdSlot?: () => Promise<HeldSlot>,
  ) {}

  submit(item: T): Promise<void> {
    return new Promise((resolve, reject) => {
      this.waiting.push({ item, since: Date.now(), resolve, reject });
      void this.drain();
    });
  }

  private async drain(): Promise<void> {
    if (this.draining) return;
    this.draining = true;
    try {
      while (this.waiting.length) {
        await this.gather();
        let slot: HeldSlot | undefined;
        try {
          slot = await this.holdSlot?.();
        } catch (e) {
          this.waiting.splice(0).forEach((w) => w.reject(e));
          break;
        }
        const batch = this.waiting.splice(0, MAX_RECORDS_PER_WRITE);
        try {
          const outcome = await this.send(
            batch.map((w) => w.item),
            slot,
          );
          batch.forEach((w, i) => (outcome?.[i] ? w.reject(outcome[i]) : w.resolve()));
        } catch (e) {
          batch.forEach((w) => w.reject(e));
        }
      }
    } finally {
      this.draining = false;
      if (this.waiting.length) void this.drain();
    }
  }

  private async gather(): Promise<void> {
    const oldest = this.waiting[0]?.since ?? Date.now();
    while (this.waiting.length < MAX_RECORDS_PER_WRITE && Date.now() - oldest < MAX_LINGER_MS) await sleep(POLL_MS);
  }
}
