import { waitFor } from './support/processes';
import { runScenario } from './support/scenario';

jest.setTimeout(10 * 60_000);

describe('Redis SIGKILLed and restarted on its AOF mid-burst', () => {
  it('every purchase ready once, every text relayed once; webhooks 200 and Zapier 503 while it is down', async () => {
    await runScenario({ tag: 'redis-restart' }, async (world, burst) => {
      await burst.reached(0.3);
      await world.redis.kill();
      const answeredBefore = burst.tally.sent;
      // texts keep arriving while Redis is away: they go to the spool and are answered 200
      await waitFor('20 webhooks answered while Redis is down', () => burst.tally.sent >= answeredBefore + 20, 60_000, 50);
      await world.redis.restart();
    });
  });
});
