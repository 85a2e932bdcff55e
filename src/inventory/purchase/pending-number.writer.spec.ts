import { CreatePendingNumberInput, InventoryNumber, NumberRepository, UniqueConflictError } from '@maskline/store';
import { PendingNumberWriter } from './pending-number.writer';

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

const pool = (reason: string): CreatePendingNumberInput => ({ lifecycle: 'pool', areaCode: '303', purchaseReason: reason });

describe('PendingNumberWriter', () => {
  it('writes requests that arrive together in one call and gives each its own records', async () => {
    const { repo, calls } = fakeNumbers();
    const writer = new PendingNumberWriter(repo);

    const [a, b, c] = await Promise.all([writer.create([pool('a')]), writer.create([pool('b'), pool('b')]), writer.create([pool('c')])]);

    expect(calls).toHaveLength(1);
    expect(calls[0]).toHaveLength(4);
    expect(a.map((n) => n.purchaseReason)).toEqual(['a']);
    expect(b.map((n) => n.purchaseReason)).toEqual(['b', 'b']);
    expect(c.map((n) => n.purchaseReason)).toEqual(['c']);
  });

  it('requests arriving during a write go in the next one', async () => {
    const { repo, calls } = fakeNumbers();
    const writer = new PendingNumberWriter(repo);

    const first = writer.create([pool('first')]);
    await new Promise((r) => setImmediate(r));
    const later = await Promise.all([writer.create([pool('x')]), writer.create([pool('y')])]);
    await first;

    expect(calls.map((c) => c.length)).toEqual([1, 2]);
    expect(later.flat().map((n) => n.purchaseReason)).toEqual(['x', 'y']);
  });

  it('a failing shared write is retried per request, so only the bad one fails', async () => {
    const { repo } = fakeNumbers((inputs) => inputs.some((i) => i.purchaseReason === 'bad'));
    const writer = new PendingNumberWriter(repo);

    const results = await Promise.allSettled([writer.create([pool('ok1')]), writer.create([pool('bad')]), writer.create([pool('ok2')])]);

    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect((results[1] as PromiseRejectedResult).reason).toBeInstanceOf(UniqueConflictError);
  });

  it('writes sitter-bound inputs on their own', async () => {
    const { repo, calls } = fakeNumbers();
    const writer = new PendingNumberWriter(repo);

    await Promise.all([writer.create([pool('a')]), writer.create([{ lifecycle: 'reserved', areaCode: '303', sitterId: 's1' }])]);

    expect(calls.map((c) => c.map((i) => i.lifecycle))).toEqual(expect.arrayContaining([['reserved'], ['pool']]));
    expect(calls).toHaveLength(2);
  });

  it('splits very large bursts into writes of at most 100 rows', async () => {
    const { repo, calls } = fakeNumbers();
    const writer = new PendingNumberWriter(repo);

    await Promise.all(Array.from({ length: 5 }, () => writer.create(Array.from({ length: 50 }, () => pool('bulk')))));

    expect(calls.map((c) => c.length)).toEqual([100, 100, 50]);
  });
});
