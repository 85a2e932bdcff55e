import { Injectable, Logger } from '@nestjs/common';
import { InventoryNumber } from '@maskline/store';

export type PoolNumberReadyListener = (number: InventoryNumber) => void | Promise<void>;

/**
 * In-process hook for "a pool number just became ready" (the relay releases
 * messages it held during pool exhaustion). The purchase worker calls it in
 * whichever process ran the job; every process loads every module, so a
 * listener registered at start-up hears every purchase its process finishes.
 * Delivery is at least once: a re-run job may announce the same number again.
 */
@Injectable()
export class PoolNumberReadyListeners {
  private readonly logger = new Logger(PoolNumberReadyListeners.name);
  private readonly listeners = new Set<PoolNumberReadyListener>();

  /** returns the unsubscribe function */
  subscribe(listener: PoolNumberReadyListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** a failing listener is logged, never fails the purchase (the number is bought either way) */
  async notify(number: InventoryNumber): Promise<void> {
    await Promise.all(
      [...this.listeners].map(async (listener) => {
        try {
          await listener(number);
        } catch (error) {
          this.logger.error(`A pool-number-ready listener failed for number ${number.id}: ${(error as Error).message}`);
        }
      }),
    );
  }
}
