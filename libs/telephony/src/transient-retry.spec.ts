import { TelephonyError } from './telephony.gateway';
import { retryTransient } from './transient-retry';

const transient = (status = 500, retryAfterMs: number | null = null) => new TelephonyError('flaky', status === 429 ? 20429 : 20500, status, false, retryAfterMs);

/** a clock that only moves when the retry sleeps */
function fakeClock() {
  let now = 0;
  const waits: number[] = [];
  return { waits, clock: { now: () => now, sleep: async (ms: number) => void (waits.push(ms), (now += ms)) } };
}

describe('retryTransient', () => {
  it('repeats the step while it fails transiently, then answers its result', async () => {
    const { clock, waits } = fakeClock();
    const step = jest.fn().mockRejectedValueOnce(transient(500)).mockRejectedValueOnce(transient(429)).mockResolvedValue('bought');
    await expect(retryTransient(step, { budgetMs: 60_000, clock })).resolves.toBe('bought');
    expect(step).toHaveBeenCalledTimes(3);
    expect(waits).toHaveLength(2);
    // exponential with ±20 % jitter: about 1 s, then about 2 s
    expect(waits[0]).toBeGreaterThanOrEqual(800);
    expect(waits[0]).toBeLessThanOrEqual(1200);
    expect(waits[1]).toBeGreaterThanOrEqual(1600);
    expect(waits[1]).toBeLessThanOrEqual(2400);
  });

  it('waits at least what Retry-After asked', async () => {
    const { clock, waits } = fakeClock();
    const step = jest.fn().mockRejectedValueOnce(transient(429, 20_000)).mockResolvedValue('ok');
    await retryTransient(step, { budgetMs: 60_000, clock });
    expect(waits).toEqual([20_000]);
  });

  it('throws a permanent failure at once', async () => {
    const { clock } = fakeClock();
    const refused = new TelephonyError('invalid', 21421, 400);
    const step = jest.fn().mockRejectedValue(refused);
    await expect(retryTransient(step, { budgetMs: 60_000, clock })).rejects.toBe(refused);
    expect(step).toHaveBeenCalledTimes(1);
  });

  it('throws anything that is not a Twilio failure at once', async () => {
    const { clock } = fakeClock();
    const step = jest.fn().mockRejectedValue(new Error('store down'));
    await expect(retryTransient(step, { budgetMs: 60_000, clock })).rejects.toThrow('store down');
    expect(step).toHaveBeenCalledTimes(1);
  });

  it('gives up with the last failure once the budget is spent, waits capped', async () => {
    const { clock, waits } = fakeClock();
    const last = transient(503);
    const step = jest.fn().mockRejectedValue(last);
    await expect(retryTransient(step, { budgetMs: 5 * 60_000, maxDelayMs: 30_000, clock })).rejects.toBe(last);
    expect(waits.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(5 * 60_000);
    expect(Math.max(...waits)).toBeLessThanOrEqual(36_000);
    expect(step.mock.calls.length).toBeGreaterThan(10);
  });

  it('reports each retry', async () => {
    const { clock } = fakeClock();
    const onRetry = jest.fn();
    await retryTransient(jest.fn().mockRejectedValueOnce(transient()).mockResolvedValue(1), { budgetMs: 10_000, clock, onRetry });
    expect(onRetry).toHaveBeenCalledWith(expect.any(TelephonyError), expect.any(Number));
  });
});
