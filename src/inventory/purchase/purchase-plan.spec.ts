import { TelephonyError } from '@maskline/telephony';
import { areaCodePlan, candidateOrder, classifyPurchaseFailure } from './purchase-plan';

describe('areaCodePlan', () => {
  it('tries the asked area code, then the configured ones in order', () => {
    expect(areaCodePlan('719', ['303', '720'])).toEqual(['719', '303', '720']);
  });

  it('never tries an area code twice', () => {
    expect(areaCodePlan('303', ['303', '720'])).toEqual(['303', '720']);
    expect(areaCodePlan('720', ['303', '720'])).toEqual(['720', '303']);
  });
});

describe('candidateOrder', () => {
  const found = ['a', 'b', 'c', 'd', 'e'];

  it('keeps every candidate once, rotated', () => {
    const order = candidateOrder(found, 'maskline-123');
    expect([...order].sort()).toEqual(found);
    const start = found.indexOf(order[0]);
    expect(order).toEqual([...found.slice(start), ...found.slice(0, start)]);
  });

  it('is stable for one token and spreads different tokens', () => {
    expect(candidateOrder(found, 'token-1')).toEqual(candidateOrder(found, 'token-1'));
    const firsts = new Set(Array.from({ length: 40 }, (_, i) => candidateOrder(found, `maskline-${i}`)[0]));
    expect(firsts.size).toBeGreaterThan(2);
  });

  it('handles an empty search', () => {
    expect(candidateOrder([], 'x')).toEqual([]);
  });
});

describe('classifyPurchaseFailure', () => {
  it('moves on within the plan for Twilio 21422 and 21452', () => {
    expect(classifyPurchaseFailure(new TelephonyError('gone', 21422, 400))).toBe('next_candidate');
    expect(classifyPurchaseFailure(new TelephonyError('none', 21452, 400))).toBe('next_area_code');
  });

  it('retries 429, 5xx and timeouts', () => {
    expect(classifyPurchaseFailure(new TelephonyError('slow down', 20429, 429))).toBe('retry');
    expect(classifyPurchaseFailure(new TelephonyError('oops', 20500, 500))).toBe('retry');
    expect(classifyPurchaseFailure(new TelephonyError('timeout', null, null, true))).toBe('retry');
    expect(classifyPurchaseFailure(new Error('connection reset by the store'))).toBe('retry');
  });

  it('gives up on other Twilio refusals', () => {
    expect(classifyPurchaseFailure(new TelephonyError('Authenticate', 20003, 401))).toBe('permanent');
    expect(classifyPurchaseFailure(new TelephonyError('bad request', 21421, 400))).toBe('permanent');
  });
});
