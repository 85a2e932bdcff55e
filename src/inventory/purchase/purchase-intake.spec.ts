import { CreatePendingNumberInput, InventoryNumber, NumberRepository, UniqueConflictError } from '@maskline/store';
import { DependencyUnavailableError, LimitReachedError } from '../../common/http/app-errors';
import { BudgetReservation, PurchaseBudget } from './purchase-budget';
import { PurchaseIntake, PurchaseJobQueue } from './number-purchase.service';

/** A NumberRepository whose createPending records each call; any other call fails the test. */
function fakeNumbers(failWhen: (inputs: CreatePendingNumberInput[]) => boolean = () => false) {
  const calls: CreatePendingNumberInput[][] = [];
  let seq = 0;
  const repo = new Proxy({} as NumberRepository, {
    get(_t, prop) {
      if (prop !== 'createPending') throw new Error(`unexpected call NumberRepository.${String(prop)}`);
      return async (inputs: CreatePendingNumberInput[]) => {
        calls.push(inputs);
        await new Promise((r) => setTimeout(r, 5));
        if (failWhen(inputs)) throw new UniqueConflictError('number', 'one open reserved number per sitter');
        return inputs.map((i) => ({ id: `n${++seq}`, lifecycle: i.lifecycle, areaCode: i.areaCode, purchaseReason: i.purchaseReason ?? null }) as InventoryNumber);
      };
    },
  });
  return { repo, calls };
}

/** the daily cap in memory: `left` numbers may still be taken */
function fakeBudget(left: number) {
  const state = { left, checks: 0, refunded: 0, down: false };
  const budget = {
    async reserveEach(quantities: number[]) {
      state.checks += 1;
      if (state.down) throw new DependencyUnavailableError('Redis did not answer (purchase budget); retry shortly');
      return quantities.map((q) => {
        if (q > state.left) return new LimitReachedError('Daily purchase cap reached', { requested: q });
        state.left -= q;
        return { members: Array.from({ length: q }, (_, i) => `m${state.left + i}`) };
      });
    },
    async refund(reservation: BudgetReservation) {
      state.refunded += reservation.members.length;
      state.left += reservation.members.length;
    },
  } as unknown as PurchaseBudget;
  return { budget, state };
}

/** the job queue in memory: every bulk add, the records marked unqueued, and an optional outage */
function fakeJobs() {
  const state = { adds: [] as string[][], unqueued: [] as string[], down: false };
  const jobs = {
    async queueAll(created: InventoryNumber[]) {
      if (state.down) {
        state.unqueued.push(...created.map((n) => n.id));
        throw new DependencyUnavailableError('Queue unavailable (Redis did not answer); retry shortly');
      }
      if (created.length > 0) state.adds.push(created.map((n) => n.id));
    },
    async markUnqueued(created: InventoryNumber[]) {
      state.unqueued.push(...created.map((n) => n.id));
    },
  } as unknown as PurchaseJobQueue;
  return { jobs, state };
}

const pool = (reason: string): CreatePendingNumberInput => ({ lifecycle: 'pool', areaCode: '303', purchaseReason: reason });

function intakeWith(opts: { failWhen?: (inputs: CreatePendingNumberInput[]) => boolean; budgetLeft?: number } = {}) {
  const numbers = fakeNumbers(opts.failWhen);
  const budget = fakeBudget(opts.budgetLeft ?? 1000);
  const jobs = fakeJobs();
  return { intake: new PurchaseIntake(numbers.repo, budget.budget, jobs.jobs), numbers, budget: budget.state, jobs: jobs.state };
}

describe('PurchaseIntake', () => {
  it('takes requests that arrive together in one cap check, one write and one bulk job add, and gives each its own records', async () => {
    const { intake, numbers, budget, jobs } = intakeWith();

    const [a, b, c] = await Promise.all([intake.submit([pool('a')]), intake.submit([pool('b'), pool('b')]), intake.submit([pool('c')])]);

    expect(budget.checks).toBe(1);
    expect(numbers.calls).toHaveLength(1);
    expect(numbers.calls[0]).toHaveLength(4);
    expect(jobs.adds).toEqual([['n1', 'n2', 'n3', 'n4']]);
    expect(a.map((n) => n.purchaseReason)).toEqual(['a']);
    expect(b.map((n) => n.purchaseReason)).toEqual(['b', 'b']);
    expect(c.map((n) => n.purchaseReason)).toEqual(['c']);
  });

  it('requests arriving during a batch go in the next one', async () => {
    const { intake, numbers } = intakeWith();

    const first = intake.submit([pool('first')]);
    await new Promise((r) => setImmediate(r));
    const later = await Promise.all([intake.submit([pool('x')]), intake.submit([pool('y')])]);
    await first;

    expect(numbers.calls.map((c) => c.length)).toEqual([1, 2]);
    expect(later.flat().map((n) => n.purchaseReason)).toEqual(['x', 'y']);
  });

  it('refuses only the requests past the daily cap, writing nothing for them', async () => {
    const { intake, numbers, budget } = intakeWith({ budgetLeft: 3 });

    const results = await Promise.allSettled([intake.submit([pool('a'), pool('a')]), intake.submit([pool('b'), pool('b')]), intake.submit([pool('c')])]);

    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect((results[1] as PromiseRejectedResult).reason).toBeInstanceOf(LimitReachedError);
    expect(numbers.calls.flat().map((i) => i.purchaseReason)).toEqual(['a', 'a', 'c']);
    expect(budget.left).toBe(0);
  });

  it('a failing shared write is retried per request, so only the bad one fails and gets its share of the cap back', async () => {
    const { intake, budget, jobs } = intakeWith({ failWhen: (inputs) => inputs.some((i) => i.purchaseReason === 'bad'), budgetLeft: 10 });

    const results = await Promise.allSettled([intake.submit([pool('ok1')]), intake.submit([pool('bad')]), intake.submit([pool('ok2')])]);

    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect((results[1] as PromiseRejectedResult).reason).toBeInstanceOf(UniqueConflictError);
    expect(budget.refunded).toBe(1);
    expect(budget.left).toBe(8);
    expect(jobs.adds.flat()).toHaveLength(2);
  });

  it('answers 503 for every request of the batch when Redis refuses the cap check, writing nothing', async () => {
    const { intake, numbers, budget } = intakeWith();
    budget.down = true;

    const results = await Promise.allSettled([intake.submit([pool('a')]), intake.submit([pool('b')])]);

    expect(results.every((r) => r.status === 'rejected' && r.reason instanceof DependencyUnavailableError)).toBe(true);
    expect(numbers.calls).toHaveLength(0);
  });

  it('marks the records unqueued (failed, retryable) and fails the requests when the jobs cannot be queued', async () => {
    const { intake, jobs } = intakeWith();
    jobs.down = true;

    const results = await Promise.allSettled([intake.submit([pool('a')]), intake.submit([pool('b')])]);

    expect(results.every((r) => r.status === 'rejected' && r.reason instanceof DependencyUnavailableError)).toBe(true);
    expect(jobs.unqueued).toEqual(['n1', 'n2']);
  });

  it('runs a request with a beforeEnqueue step alone; a failing step leaves its records unqueued and queues nothing', async () => {
    const { intake, numbers, jobs } = intakeWith();

    const step = jest.fn(async () => {
      throw new Error('guard lost');
    });
    const [stepped, plain] = await Promise.allSettled([intake.submit([pool('guarded')], step), intake.submit([pool('plain')])]);

    expect(stepped.status).toBe('rejected');
    expect(plain.status).toBe('fulfilled');
    expect(step).toHaveBeenCalledTimes(1);
    expect(numbers.calls).toHaveLength(2);
    expect(jobs.unqueued).toEqual(['n1']);
    expect(jobs.adds).toEqual([['n2']]);
  });

  it('writes sitter-bound inputs on their own', async () => {
    const { intake, numbers } = intakeWith();

    await Promise.all([intake.submit([pool('a')]), intake.submit([{ lifecycle: 'reserved', areaCode: '303', sitterId: 's1' }])]);

    expect(numbers.calls.map((c) => c.map((i) => i.lifecycle))).toEqual(expect.arrayContaining([['reserved'], ['pool']]));
    expect(numbers.calls).toHaveLength(2);
  });

  it('splits very large bursts into writes of at most 100 rows', async () => {
    const { intake, numbers } = intakeWith();

    await Promise.all(Array.from({ length: 5 }, () => intake.submit(Array.from({ length: 50 }, () => pool('bulk')))));

    expect(numbers.calls.map((c) => c.length)).toEqual([100, 100, 50]);
  });
});
