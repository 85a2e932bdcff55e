import { describeAuditContract } from './audit.contract';
import { describeClientContract } from './clients.contract';
import { describeConcurrencyContract } from './concurrency.contract';
import { describeHostileInputContract } from './hostile-input.contract';
import { describeMessageContract } from './messages.contract';
import { describeNumberContract } from './numbers.contract';
import { describeSessionContract } from './sessions.contract';
import { describeSitterContract } from './sitters.contract';
import { MakeStore, StorePorts } from './store-ports';

/**
 * The behaviour every storage driver must show, as documented in ports.ts.
 * `makeStore` runs before EVERY test and must hand back an empty store (a
 * driver may keep one connection for the file and clear its tables here);
 * `cleanup` runs after the test. Raise jest's timeout in the calling spec if
 * the driver is slow to empty.
 */
export function describeStoreContract(name: string, makeStore: MakeStore): void {
  describe(`store contract: ${name}`, () => {
    let current: StorePorts | undefined;
    let cleanup: (() => Promise<void>) | undefined;
    const store = (): StorePorts => {
      if (!current) throw new Error('the store is opened in beforeEach; use store() inside a test');
      return current;
    };

    beforeEach(async () => {
      const opened = await makeStore();
      current = opened.ports;
      cleanup = opened.cleanup;
    });

    afterEach(async () => {
      const done = cleanup;
      current = undefined;
      cleanup = undefined;
      await done?.();
    });

    it('answers a health ping', async () => {
      await expect(store().health.ping()).resolves.toBeUndefined();
      expect(['sql', 'airtable']).toContain(store().health.driver);
    });

    describeSitterContract(store);
    describeClientContract(store);
    describeNumberContract(store);
    describeSessionContract(store);
    describeMessageContract(store);
    describeAuditContract(store);
    describeHostileInputContract(store);
    describeConcurrencyContract(store);
  });
}
