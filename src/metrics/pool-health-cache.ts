import { Injectable } from '@nestjs/common';
import { InventoryHealth, PoolCapacityService } from '../inventory/capacity/pool-capacity.service';

const FRESH_FOR_MS = 15_000;

/**
 * One pool summary shared by every /metrics scrape and dashboard poll within
 * 15 s: a scrape costs at most one set of store counts, however often it comes.
 */
@Injectable()
export class PoolHealthCache {
  private cached: { at: number; value: Promise<InventoryHealth> } | null = null;

  constructor(private readonly capacity: PoolCapacityService) {}

  get(): Promise<InventoryHealth> {
    if (this.cached && Date.now() - this.cached.at < FRESH_FOR_MS) return this.cached.value;
    const value = this.capacity.health();
    this.cached = { at: Date.now(), value };
    // a failed read is not kept: the next caller asks again
    value.catch(() => {
      if (this.cached?.value === value) this.cached = null;
    });
    return value;
  }

  /** after an action that changes the figures (a purchase, a release) */
  forget(): void {
    this.cached = null;
  }
}
