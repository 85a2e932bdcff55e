import { runScenario } from './support/scenario';

jest.setTimeout(10 * 60_000);

describe('worker processes SIGKILLed at three moments mid-burst', () => {
  it('every purchase ready once, every text relayed once', async () => {
    await runScenario({ tag: 'worker-kills' }, async (world, burst) => {
      for (const share of [0.2, 0.45, 0.7]) {
        await burst.reached(share + Math.random() * 0.1);
        await world.killWorker(Math.floor(Math.random() * world.workers.length));
      }
    });
  });
});
