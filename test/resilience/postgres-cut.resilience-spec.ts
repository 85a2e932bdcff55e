import { setTimeout as sleep } from 'node:timers/promises';
import { runScenario } from './support/scenario';

jest.setTimeout(10 * 60_000);

describe('PostgreSQL unreachable for 10 s mid-burst (a TCP proxy the test cuts)', () => {
  it('webhooks keep answering 200, every text relayed once after recovery, every purchase ready once', async () => {
    await runScenario({ tag: 'postgres-cut', pgProxy: true }, async (world, burst) => {
      await burst.reached(0.3);
      await world.proxy!.cut();
      // the outage itself lasts 10 s, as the issue asks; nothing waits on it
      await sleep(10_000);
      await world.proxy!.restore();
    });
  });
});
