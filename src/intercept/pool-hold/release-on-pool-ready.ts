import { Injectable, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { PoolNumberReadyListeners } from '../../inventory/purchase/pool-number-ready.listeners';
import { HeldRelayMessages } from './held-relay-messages';

/**
 * Inventory announces a ready pool number in the process that finished the
 * purchase; held messages live in Redis, so promoting them from there reaches
 * whichever worker picks them up.
 */
@Injectable()
export class ReleaseOnPoolReady implements OnModuleInit, OnModuleDestroy {
  private unsubscribe: (() => void) | null = null;

  constructor(
    private readonly poolReady: PoolNumberReadyListeners,
    private readonly held: HeldRelayMessages,
  ) {}

  onModuleInit(): void {
    this.unsubscribe = this.poolReady.subscribe(async () => {
      await this.held.releaseAll();
    });
  }

  onModuleDestroy(): void {
    this.unsubscribe?.();
  }
}
