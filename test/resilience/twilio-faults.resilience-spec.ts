import { PLAN, runScenario } from './support/scenario';

jest.setTimeout(10 * 60_000);

async function injectFault(simUrl: string, fault: Record<string, unknown>): Promise<void> {
  const res = await fetch(`${simUrl}/_sim/faults`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(fault) });
  if (res.status !== 201) throw new Error(`fault refused: ${res.status} ${await res.text()}`);
}

describe('Twilio answering 429 and 500 on 30 % of calls for the whole burst', () => {
  it('no purchase ends failed, every text relayed once, and the daily cap still holds', async () => {
    await runScenario(
      { tag: 'twilio-faults', env: { MAX_PURCHASES_PER_DAY: String(PLAN.purchases) } },
      async (world) => {
        // 15 % of all calls: 429 with Retry-After 1 s; 15 % more: 500
        await injectFault(world.simUrl, { operation: '*', status: 429, code: 20429, message: 'Too Many Requests', rate: 0.15, retry_after_seconds: 1 });
        await injectFault(world.simUrl, { operation: '*', status: 500, code: 20500, message: 'Internal Server Error', rate: 0.15 / 0.85 });
      },
      async (world) => {
        // the day's budget is spent by the burst: one more is refused with 429, nothing bought
        const over = await world.purchase(1);
        expect(over.status).toBe(429);
      },
    );
  });
});
