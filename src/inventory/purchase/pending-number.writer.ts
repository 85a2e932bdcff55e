import { Injectable } from '@nestjs/common';
import { CreatePendingNumberInput, InventoryNumber, NumberRepository } from '@maskline/store';

interface Waiting {
  inputs: CreatePendingNumberInput[];
  resolve(created: InventoryNumber[]): void;
  reject(error: unknown): void;
}

// Rows per write; Airtable's driver splits writes into its own batches of 10.
const MAX_ROWS = 100;

/**
 * Group commit for pending Number records: requests that arrive while a write
 * is in flight are written together in the next one. A burst of purchase
 * calls then costs a few multi-row inserts instead of one each (the embedded
 * PGlite runs on the event loop; Airtable allows 5 requests/s per base).
 * Inputs naming a sitter are written alone, since their one-reserved-number
 * rule may refuse a write and a batch is all or nothing. If a shared write
 * fails, each request's rows are written on their own, so one request's
 * failure never becomes another's.
 */
@Injectable()
export class PendingNumberWriter {
  private waiting: Waiting[] = [];
  private flushing = false;

  constructor(private readonly numbers: NumberRepository) {}

  create(inputs: CreatePendingNumberInput[]): Promise<InventoryNumber[]> {
    if (inputs.some((i) => i.sitterId)) return this.numbers.createPending(inputs);
    return new Promise((resolve, reject) => {
      this.waiting.push({ inputs, resolve, reject });
      if (!this.flushing) {
        this.flushing = true;
        // let the requests of this I/O turn join the first write
        setImmediate(() => void this.flush());
      }
    });
  }

  private async flush(): Promise<void> {
    while (this.waiting.length > 0) {
      const batch = this.takeBatch();
      try {
        const created = await this.numbers.createPending(batch.flatMap((w) => w.inputs));
        let offset = 0;
        for (const w of batch) {
          w.resolve(created.slice(offset, offset + w.inputs.length));
          offset += w.inputs.length;
        }
      } catch (error) {
        if (batch.length === 1) batch[0].reject(error);
        else await Promise.all(batch.map((w) => this.numbers.createPending(w.inputs).then(w.resolve, w.reject)));
      }
    }
    this.flushing = false;
  }

  private takeBatch(): Waiting[] {
    let rows = 0;
    let count = 0;
    while (count < this.waiting.length && (count === 0 || rows + this.waiting[count].inputs.length <= MAX_ROWS)) {
      rows += this.waiting[count].inputs.length;
      count += 1;
    }
    return this.waiting.splice(0, count);
  }
}
