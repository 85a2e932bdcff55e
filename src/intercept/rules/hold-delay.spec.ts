import { heldRecheckDelayMs } from './hold-delay';

describe('heldRecheckDelayMs', () => {
  it('starts at 30 s and doubles up to 10 minutes', () => {
    expect([1, 2, 3, 4, 5, 6, 50].map(heldRecheckDelayMs)).toEqual([30_000, 60_000, 120_000, 240_000, 480_000, 600_000, 600_000]);
  });
});
